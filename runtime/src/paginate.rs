//! Declared pagination: the [`Paginate`] trait a list action implements (the derive writes
//! it from `#[rpc(paginate(...))]`), and the [`PageInfo`] a page reports, which
//! [`Client::paginate`](crate::Client::paginate) follows from page to page.
//!
//! Aliyun lists in three conventions:
//!
//! | convention | request params | the next page | the end |
//! | --- | --- | --- | --- |
//! | page number (`DescribeVpcs`) | `PageNumber`, `PageSize` | `PageNumber + 1` | an empty page, fewer items than `PageSize`, or `TotalCount` items seen |
//! | next token (`DescribeInstances`, newer APIs) | `NextToken`, `MaxResults` | the answer's `NextToken` | no or an empty `NextToken` (`TotalCount` is not believed) |
//! | marker (RAM `ListUsers`) | `Marker`, `MaxItems` | the answer's `Marker` | `IsTruncated` false (`TotalCount` is not believed) |
//!
//! A request built with a `PageNumber` starts the listing at that page; `TotalCount` is then
//! compared with the items seen from there, so the end comes from a short or empty page.
//!
//! A server that does not move on — answers a page number other than the one asked for, or
//! repeats a token or marker it sent before — ends the stream with an
//! [`Error::Pagination`](crate::Error::Pagination) instead of looping, and so does a listing
//! longer than [`DEFAULT_MAX_PAGES`](crate::limits::DEFAULT_MAX_PAGES) pages (change it with
//! [`Pages::max_pages`](crate::client::Pages::max_pages)).
//!
//! Derived, the declaration is one attribute: the convention, the response field holding the
//! list, and the type of its items. The request needs the convention's cursor field
//! (`PageNumber`, `NextToken` or `Marker`, by wire name), the response the convention's fields
//! (`page_number`, `page_size`, `total_count`; `next_token`; `marker`, `is_truncated`), plain
//! or in an `Option`; a missing one is a compile error.
//!
//! ```
//! use aliyun_rpc::paginate::{PageInfo, Paginate};
//! use aliyun_rpc::Request;
//!
//! #[aliyun_rpc::response]
//! #[derive(Debug)]
//! pub struct DescribeVpcsResponse {
//!     pub total_count: Option<i32>,
//!     pub page_number: Option<i32>,
//!     pub page_size: Option<i32>,
//!     pub vpcs: Vec<Vpc>,
//! }
//!
//! #[aliyun_rpc::response]
//! #[derive(Debug)]
//! pub struct Vpc { pub vpc_id: String }
//!
//! #[derive(Debug, Clone, Request)]
//! #[rpc(product = "Vpc", version = "2016-04-28", action = "DescribeVpcs",
//!       response = DescribeVpcsResponse, paginate(page_number, items = "vpcs", item = Vpc))]
//! pub struct DescribeVpcs {
//!     pub region_id: String,
//!     #[rpc(min = 1)]
//!     pub page_number: Option<i32>,
//!     #[rpc(min = 1, max = 50)]
//!     pub page_size: Option<i32>,
//! }
//!
//! // What the derive wrote: the next page is page 3, and this is the last one.
//! let mut request = DescribeVpcs::new("cn-hangzhou").page_size(2);
//! request.set_page_number(3);
//! assert_eq!(request.page_number, Some(3));
//! let answer = DescribeVpcsResponse {
//!     total_count: Some(5),
//!     page_number: Some(3),
//!     page_size: Some(2),
//!     vpcs: vec![Vpc { vpc_id: "vpc-5".into() }],
//! };
//! assert_eq!(DescribeVpcs::page_info(&answer), PageInfo::page_number(1, Some(3), Some(2), Some(5)));
//! assert_eq!(DescribeVpcs::into_items(answer)[0].vpc_id, "vpc-5");
//! ```
//!
//! By hand, the same is a few lines (see [`Paginate`]).

use crate::request::Request;

/// A list action whose pages [`Client::paginate`](crate::Client::paginate) can follow.
///
/// The derive implements it from `#[rpc(paginate(page_number | next_token | marker,
/// items = "field", item = Type))]`; by hand, a marker-paged action reads:
///
/// ```
/// use aliyun_rpc::paginate::{PageInfo, Paginate};
/// use aliyun_rpc::Request;
///
/// #[aliyun_rpc::response]
/// pub struct ListUsersResponse {
///     pub is_truncated: bool,
///     pub marker: Option<String>,
///     pub users: Vec<User>,
/// }
///
/// #[aliyun_rpc::response]
/// pub struct User { pub user_name: String }
///
/// #[derive(Clone, Request)]
/// #[rpc(product = "Ram", version = "2015-05-01", action = "ListUsers", response = ListUsersResponse)]
/// pub struct ListUsers {
///     pub marker: Option<String>,
///     pub max_items: Option<i32>,
/// }
///
/// impl Paginate for ListUsers {
///     type Item = User;
///     fn set_cursor(&mut self, cursor: &str) {
///         self.marker = Some(cursor.to_owned());
///     }
///     fn page_info(answer: &ListUsersResponse) -> PageInfo {
///         PageInfo::marker(answer.users.len(), answer.marker.as_deref(), answer.is_truncated)
///     }
///     fn into_items(answer: ListUsersResponse) -> Vec<User> {
///         answer.users
///     }
/// }
/// ```
pub trait Paginate: Request {
    /// One element of a page's list.
    type Item;

    /// Token and marker conventions: sets the cursor (`NextToken`, `Marker`) that asks for
    /// the page after the one that sent it. Unused by the page-number convention.
    fn set_cursor(&mut self, cursor: &str) {
        let _ = cursor;
    }

    /// Page-number convention: sets `PageNumber`. Unused by the other conventions.
    fn set_page_number(&mut self, page: u64) {
        let _ = page;
    }

    /// Page-number convention: the page the request asks for as built (its `PageNumber`),
    /// where the listing starts; `None` for Aliyun's default, page 1.
    fn page_number(&self) -> Option<u64> {
        None
    }

    /// What a page says about the listing: how many items it holds and how to go on.
    fn page_info(response: &Self::Response) -> PageInfo;

    /// The page's items, in order.
    fn into_items(response: Self::Response) -> Vec<Self::Item>;
}

/// What one page says about the listing, in its convention's terms. Build it with
/// [`page_number`](PageInfo::page_number), [`next_token`](PageInfo::next_token) or
/// [`marker`](PageInfo::marker).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageInfo {
    pub(crate) items: usize,
    pub(crate) convention: Convention,
}

/// The three conventions, with what a page says in each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Convention {
    PageNumber {
        /// The page the answer says it is (Aliyun echoes `PageNumber`).
        page: Option<u64>,
        /// The page size the answer says it used (Aliyun echoes `PageSize`).
        page_size: Option<u64>,
        total_count: Option<u64>,
    },
    NextToken {
        next: Option<String>,
    },
    Marker {
        next: Option<String>,
        is_truncated: bool,
    },
}

impl PageInfo {
    /// A page of the page-number convention: `items` on it, and the answer's `PageNumber`,
    /// `PageSize` and `TotalCount` where it has them.
    pub fn page_number(
        items: usize,
        page: Option<u64>,
        page_size: Option<u64>,
        total_count: Option<u64>,
    ) -> PageInfo {
        PageInfo {
            items,
            convention: Convention::PageNumber {
                page,
                page_size,
                total_count,
            },
        }
    }

    /// A page of the token convention: `items` on it, and the answer's `NextToken`.
    pub fn next_token(items: usize, next_token: Option<&str>) -> PageInfo {
        PageInfo {
            items,
            convention: Convention::NextToken {
                next: next_token.map(str::to_owned),
            },
        }
    }

    /// A page of the marker convention: `items` on it, the answer's `Marker` and
    /// `IsTruncated`.
    pub fn marker(items: usize, marker: Option<&str>, is_truncated: bool) -> PageInfo {
        PageInfo {
            items,
            convention: Convention::Marker {
                next: marker.map(str::to_owned),
                is_truncated,
            },
        }
    }

    /// How many items the page holds.
    pub fn items(&self) -> usize {
        self.items
    }
}

/// The field types the derive's `paginate` reads and writes, whatever integer or `Option`
/// the user chose; public through `__private` only.
pub(crate) mod fields {
    /// A count or page number in a response: an integer, plain or in an `Option`.
    pub trait Count {
        /// The value, if present and not negative.
        fn count(&self) -> Option<u64>;
    }

    /// A cursor in a response: a string, plain or in an `Option`.
    pub trait Cursor {
        /// The value, if present.
        fn cursor(&self) -> Option<&str>;
    }

    /// `IsTruncated` in a response: a bool, plain or in an `Option` (absent is false).
    pub trait Flag {
        /// The value, false if absent.
        fn flag(&self) -> bool;
    }

    /// A request's `PageNumber` field.
    pub trait SetCount {
        /// Sets it, saturating at the type's maximum.
        fn set_count(&mut self, n: u64);
        /// Its value, if set and not negative.
        fn get_count(&self) -> Option<u64>;
    }

    /// A request's `NextToken` or `Marker` field.
    pub trait SetCursor {
        /// Sets it.
        fn set_cursor(&mut self, cursor: &str);
    }

    macro_rules! counts {
        ($($t:ty),*) => {$(
            impl Count for $t {
                fn count(&self) -> Option<u64> {
                    u64::try_from(*self).ok()
                }
            }
            impl SetCount for $t {
                fn set_count(&mut self, n: u64) {
                    *self = <$t>::try_from(n).unwrap_or(<$t>::MAX);
                }
                fn get_count(&self) -> Option<u64> {
                    u64::try_from(*self).ok()
                }
            }
        )*};
    }
    counts!(i32, i64, u32, u64, usize, isize);

    impl<T: Count> Count for Option<T> {
        fn count(&self) -> Option<u64> {
            self.as_ref().and_then(Count::count)
        }
    }

    impl<T: SetCount + Default> SetCount for Option<T> {
        fn set_count(&mut self, n: u64) {
            self.get_or_insert_with(T::default).set_count(n);
        }
        fn get_count(&self) -> Option<u64> {
            self.as_ref().and_then(SetCount::get_count)
        }
    }

    impl Cursor for String {
        fn cursor(&self) -> Option<&str> {
            Some(self)
        }
    }

    impl<T: Cursor> Cursor for Option<T> {
        fn cursor(&self) -> Option<&str> {
            self.as_ref().and_then(Cursor::cursor)
        }
    }

    impl SetCursor for String {
        fn set_cursor(&mut self, cursor: &str) {
            cursor.clone_into(self);
        }
    }

    impl SetCursor for Option<String> {
        fn set_cursor(&mut self, cursor: &str) {
            *self = Some(cursor.to_owned());
        }
    }

    impl Flag for bool {
        fn flag(&self) -> bool {
            *self
        }
    }

    impl Flag for Option<bool> {
        fn flag(&self) -> bool {
            self.unwrap_or(false)
        }
    }
}
