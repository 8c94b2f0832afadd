//! Reading the manifest's files section straight into its maps.

use super::{FileRec, Held, Manifest};

/// Decodes the files section ([`super::Files`]) straight into a manifest's maps:
/// a list of every [`FileRec`] first would double the memory the
/// manifest's reading peaks at (5 MB of records at 100,000 files, grown by
/// doubling, beside the map they go into).
pub(super) struct FilesInto<'m>(pub(super) &'m mut Manifest);

impl<'de> serde::de::DeserializeSeed<'de> for FilesInto<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_tuple(2, self)
    }
}

impl<'de> serde::de::Visitor<'de> for FilesInto<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the files and the odd ids")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let missing = || serde::de::Error::custom("a section cut short");
        seq.next_element_seed(RecordsInto(&mut *self.0))?
            .ok_or_else(missing)?;
        let odd: Vec<([u8; 16], String)> = seq.next_element()?.ok_or_else(missing)?;
        for (hash, id) in odd {
            self.0.odd_ids.insert(u128::from_le_bytes(hash), id);
        }
        Ok(())
    }
}

/// The list of [`FileRec`]s, each put in the map as it is decoded.
struct RecordsInto<'m>(&'m mut Manifest);

impl<'de> serde::de::DeserializeSeed<'de> for RecordsInto<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for RecordsInto<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of files")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // The count comes from the file: reserve for it only so far.
        self.0
            .files
            .reserve(seq.size_hint().unwrap_or(0).min(1 << 22));
        let folders = self.0.folders.len();
        while let Some(f) = seq.next_element::<FileRec>()? {
            if f.folder as usize >= folders {
                return Err(serde::de::Error::custom("a file in no folder"));
            }
            let held = Held {
                size: f.size,
                mtime: f.mtime,
                folder: f.folder,
                id: f.id,
            };
            self.0.files.insert(u128::from_le_bytes(f.hash), held);
        }
        Ok(())
    }
}
