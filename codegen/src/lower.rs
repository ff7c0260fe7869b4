//! Metadata → the items of one generated module.

use aliyun_rpc_metadata::{Api, ApiDocs, ApiStyle};

use crate::context::Cx;
use crate::ir::TypeDef;
use crate::registry::Registry;
use crate::{paginate, request, response, Error};

/// The items for `actions` (already sorted and unique) of `docs`, in writing order.
pub fn module(docs: &ApiDocs, origin: &str, actions: &[&Api]) -> Result<Vec<TypeDef>, Error> {
    let info = &docs.info;
    let product_error = |reason: String| Error::Product {
        origin: origin.to_owned(),
        reason,
    };
    if info.style != ApiStyle::Rpc {
        return Err(product_error(format!(
            "`info.style` is {:?}; aliyun-rpc generates RPC-style APIs only",
            info.style
        )));
    }
    if !is_product(&info.product) {
        return Err(product_error(format!(
            "product `{}` is not an ASCII identifier (inner `-` allowed)",
            info.product
        )));
    }
    if !is_date(&info.version) {
        return Err(product_error(format!(
            "version `{}` is not a date like `2014-05-26`",
            info.version
        )));
    }
    let mut reg = Registry::default();
    for api in actions {
        reg.reserve(&api.name);
        reg.reserve(&format!("{}Response", api.name));
    }
    for api in actions {
        let mut cx = Cx {
            origin,
            action: &api.name,
            reg: &mut reg,
        };
        if !is_identifier(&api.name) {
            return Err(cx.error(
                "its name".to_owned(),
                "an action name must be an ASCII identifier",
            ));
        }
        request::lower(&mut cx, &info.product, &info.version, api)?;
        response::lower(&mut cx, api)?;
        paginate::declare(&mut reg, &api.name);
    }
    Ok(reg.into_items().collect())
}

/// An ASCII letter, then ASCII letters, digits or `_` (the derive's rule for actions).
fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Like [`is_identifier`] with inner `-` allowed (`R-kvstore`), the derive's rule for products.
fn is_product(s: &str) -> bool {
    !s.ends_with('-') && !s.contains("--") && is_identifier(&s.replace('-', "_"))
}

/// `YYYY-MM-DD`, the derive's rule for versions.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && matches!(
            &s[5..7],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        )
        && matches!(s[8..10].parse::<u8>(), Ok(1..=31))
}
