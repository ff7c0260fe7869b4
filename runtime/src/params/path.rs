//! [`KeyPath`]: where in a request a value sits, for error messages.

use std::fmt;

/// The wire key of a value being validated, as a path from the request down: `Filter.3.Value`
/// is the root, then field `Filter`, then item 3, then field `Value`.
///
/// Each step is a value on the stack that borrows its parent, so building a path allocates
/// nothing; only an error renders it, with [`Display`](fmt::Display).
///
/// ```
/// use aliyun_rpc::params::KeyPath;
///
/// let root = KeyPath::root();
/// let filter = root.field("Filter");
/// let item = filter.index(3);
/// assert_eq!(item.field("Value").to_string(), "Filter.3.Value");
/// assert_eq!(root.to_string(), "");
/// ```
#[derive(Clone, Copy)]
pub struct KeyPath<'a> {
    parent: Option<&'a KeyPath<'a>>,
    segment: Segment<'a>,
}

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'a str),
    Index(usize),
}

impl KeyPath<'static> {
    /// The top level of a request: renders as the empty string.
    pub const fn root() -> Self {
        KeyPath {
            parent: None,
            segment: Segment::Root,
        }
    }
}

impl<'a> KeyPath<'a> {
    /// The path of field (or map key) `name` under this one: `Parent.name`.
    pub fn field<'b>(&'b self, name: &'b str) -> KeyPath<'b> {
        KeyPath {
            parent: Some(self),
            segment: Segment::Field(name),
        }
    }

    /// The path of list item `index` under this one, 1-based as sent: `Parent.index`.
    pub fn index(&self, index: usize) -> KeyPath<'_> {
        KeyPath {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// Writes the path, with a `.` before this segment when something precedes it; whether
    /// anything was written.
    fn write(&self, f: &mut fmt::Formatter<'_>) -> Result<bool, fmt::Error> {
        let before = match self.parent {
            Some(parent) => parent.write(f)?,
            None => false,
        };
        if matches!(self.segment, Segment::Root) {
            return Ok(before);
        }
        if before {
            f.write_str(".")?;
        }
        match self.segment {
            Segment::Field(name) => f.write_str(name)?,
            Segment::Index(i) => write!(f, "{i}")?,
            Segment::Root => {}
        }
        Ok(true)
    }
}

impl fmt::Display for KeyPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f).map(drop)
    }
}

impl fmt::Debug for KeyPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPath({:?})", self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_like_wire_keys() {
        let root = KeyPath::root();
        assert_eq!(root.index(1).to_string(), "1");
        let a = root.field("A");
        let deep = a.index(10);
        let deeper = deep.field("B");
        assert_eq!(deeper.index(2).to_string(), "A.10.B.2");
        assert_eq!(format!("{:?}", a), r#"KeyPath("A")"#);
    }
}
