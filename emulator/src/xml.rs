//! JSON → XML, the way Aliyun renders the same response in both formats: an object's
//! keys become elements, an array under key `K` becomes repeated `<K>` elements, scalars
//! become text (escaped), `null` an empty element.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde_json::Value;

/// An XML document with root element `root` holding `fields` in order, with the
/// `<?xml version="1.0" encoding="UTF-8"?>` declaration.
pub(crate) fn document<'v>(
    root: &str,
    fields: impl IntoIterator<Item = (&'v str, &'v Value)>,
) -> String {
    let mut writer = Writer::new(Vec::new());
    // Writing into a Vec cannot fail; the Result is only io::Write's signature.
    let _ = write_document(&mut writer, root, fields);
    String::from_utf8(writer.into_inner()).unwrap_or_default()
}

fn write_document<'v>(
    writer: &mut Writer<Vec<u8>>,
    root: &str,
    fields: impl IntoIterator<Item = (&'v str, &'v Value)>,
) -> std::io::Result<()> {
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    writer.write_event(Event::Start(BytesStart::new(root)))?;
    for (key, value) in fields {
        write_field(writer, key, value)?;
    }
    writer.write_event(Event::End(BytesEnd::new(root)))
}

fn write_field(writer: &mut Writer<Vec<u8>>, key: &str, value: &Value) -> std::io::Result<()> {
    match value {
        Value::Array(items) => {
            for item in items {
                write_field(writer, key, item)?;
            }
            Ok(())
        }
        Value::Null => writer
            .write_event(Event::Empty(BytesStart::new(key)))
            .map(drop),
        Value::Object(map) => {
            writer.write_event(Event::Start(BytesStart::new(key)))?;
            for (k, v) in map {
                write_field(writer, k, v)?;
            }
            writer.write_event(Event::End(BytesEnd::new(key)))
        }
        Value::String(s) => write_text(writer, key, s),
        Value::Bool(b) => write_text(writer, key, if *b { "true" } else { "false" }),
        Value::Number(n) => write_text(writer, key, &n.to_string()),
    }
}

fn write_text(writer: &mut Writer<Vec<u8>>, key: &str, text: &str) -> std::io::Result<()> {
    writer.write_event(Event::Start(BytesStart::new(key)))?;
    writer.write_event(Event::Text(BytesText::new(text)))?;
    writer.write_event(Event::End(BytesEnd::new(key)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arrays_repeat_their_key_and_text_is_escaped() {
        let body = json!({
            "InstanceTypes": {"InstanceType": [
                {"InstanceTypeId": "ecs.t1.xsmall", "MemorySize": 0.5},
                {"InstanceTypeId": "ecs.t1.small", "MemorySize": 1},
            ]},
            "Note": "a<b & c>d \"q\"",
            "Empty": null,
            "Flag": true,
        });
        let Value::Object(map) = &body else {
            unreachable!()
        };
        let xml = document("TestResponse", map.iter().map(|(k, v)| (k.as_str(), v)));
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><TestResponse>\
             <Empty/><Flag>true</Flag>\
             <InstanceTypes>\
             <InstanceType><InstanceTypeId>ecs.t1.xsmall</InstanceTypeId><MemorySize>0.5</MemorySize></InstanceType>\
             <InstanceType><InstanceTypeId>ecs.t1.small</InstanceTypeId><MemorySize>1</MemorySize></InstanceType>\
             </InstanceTypes>\
             <Note>a&lt;b &amp; c&gt;d &quot;q&quot;</Note>\
             </TestResponse>"
        );
    }
}
