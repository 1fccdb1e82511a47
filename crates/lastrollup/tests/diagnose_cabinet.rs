//! `CbsPersist_*.cab` archives: their log members are read like the logs
//! they hold (cabinets built here with the `cab` crate's writer), and
//! hostile cabinets (a bad header, a cut archive, a member claiming 4 GiB,
//! a member that is not a log) give an error per archive or member, never
//! a panic.

use std::io::{Cursor, Write};
use std::path::Path;

use cab::{CabinetBuilder, CompressionType};
use lastrollup::catalog::Catalog;
use lastrollup::diagnose::{self, cabinet};

const PENDING: &str = "2011-04-20 03:05:40, Info                  CBS    Loaded Servicing Stack v6.0.6002.18005\r\n\
2011-04-20 03:05:41, Info                  CBS    Failed to get transaction analysis because of pending operations. hr: 0x80070bc9\r\n";

/// A cabinet of `(name, contents)` members in one folder.
fn build(members: &[(&str, &[u8])], compression: CompressionType) -> Vec<u8> {
    let mut builder = CabinetBuilder::new();
    let folder = builder.add_folder(compression);
    for (name, _) in members {
        folder.add_file(*name);
    }
    let mut writer = builder
        .build(Cursor::new(Vec::new()))
        .expect("cabinet header");
    let mut i = 0;
    while let Some(mut file) = writer.next_file().expect("next member") {
        file.write_all(members[i].1).expect("member data");
        i += 1;
    }
    writer.finish().expect("cabinet").into_inner()
}

fn read(bytes: &[u8]) -> Vec<Result<diagnose::LogFile, lastrollup::EvidenceError>> {
    cabinet::read_cabinet(
        "CbsPersist_20110420030541.cab",
        Cursor::new(bytes),
        Catalog::embedded(),
    )
}

#[test]
fn log_members_are_read_and_named_inside_the_archive() {
    for compression in [CompressionType::None, CompressionType::MsZip] {
        let bytes = build(
            &[("CbsPersist_20110420030541.log", PENDING.as_bytes())],
            compression,
        );
        assert!(cabinet::is_cabinet(&bytes));
        let files: Vec<_> = read(&bytes)
            .into_iter()
            .map(|r| r.expect("log member"))
            .collect();
        assert_eq!(files.len(), 1);
        assert_eq!(
            files[0].file,
            "CbsPersist_20110420030541.cab:CbsPersist_20110420030541.log"
        );
        let d = diagnose::diagnose(files, Catalog::embedded());
        assert_eq!(d.causes[0].id, "pending-reboot");
        assert_eq!(d.causes[0].evidence[0].line, 2);
    }
}

#[test]
fn a_folder_with_a_cabinet_is_read_through_it() {
    let dir = std::env::temp_dir().join(format!("lastrollup-cab-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cab = build(
        &[("CbsPersist_20110420030541.log", PENDING.as_bytes())],
        CompressionType::MsZip,
    );
    std::fs::write(dir.join("CbsPersist_20110420030541.cab"), cab).expect("write cab");
    std::fs::write(
        dir.join("CBS.log"),
        b"2011-04-21 08:00:00, Info                  CBS    Unloading SysNotify DLL\r\n",
    )
    .expect("write log");
    let results = diagnose::read_path(Path::new(&dir), Catalog::embedded());
    std::fs::remove_dir_all(&dir).ok();
    let names: Vec<_> = results
        .iter()
        .map(|r| r.as_ref().expect("readable").file.clone())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[1].ends_with("CbsPersist_20110420030541.cab:CbsPersist_20110420030541.log"));
}

#[test]
fn members_that_are_not_logs_are_errors_of_their_own() {
    let bytes = build(
        &[
            ("CbsPersist_20110420030541.log", PENDING.as_bytes()),
            ("setup.exe", b"MZ\x90\0"),
        ],
        CompressionType::MsZip,
    );
    let results = read(&bytes);
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    let err = results[1].as_ref().expect_err("not a log").to_string();
    assert!(
        err.contains("setup.exe") && err.contains("not a log"),
        "{err}"
    );
}

#[test]
fn hostile_cabinets_give_errors_not_panics() {
    let good = build(
        &[(
            "CbsPersist_20110420030541.log",
            PENDING.repeat(200).as_bytes(),
        )],
        CompressionType::MsZip,
    );
    // A bad header: the magic and then garbage.
    let mut bad = b"MSCF".to_vec();
    bad.extend((0..200u32).map(|i| (i * 37 % 251) as u8));
    let results = read(&bad);
    assert_eq!(results.len(), 1);
    assert!(results[0]
        .as_ref()
        .is_err_and(|e| e.to_string().contains("cabinet")));
    // Cut anywhere: an error or a shorter log, never a panic.
    for cut in [8, 36, 60, good.len() / 2, good.len() - 3] {
        for r in read(&good[..cut]) {
            if let Err(e) = r {
                assert!(
                    e.to_string().contains("CbsPersist_20110420030541.cab"),
                    "{e}"
                );
            }
        }
    }
    // A member claiming 4 GiB: read as far as the data goes, in bounded
    // memory, and ends.
    let mut huge = good.clone();
    let coff_files = u32::from_le_bytes([huge[16], huge[17], huge[18], huge[19]]) as usize;
    huge[coff_files..coff_files + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let results = read(&huge);
    assert_eq!(results.len(), 1);
    if let Err(e) = &results[0] {
        assert!(e.to_string().contains(".log"), "{e}");
    }
}
