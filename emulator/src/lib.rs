//! A local Aliyun-compatible RPC server (work in progress).
