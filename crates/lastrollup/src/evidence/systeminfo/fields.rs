//! The canonical fields of systeminfo output, whatever the language.

use crate::evidence::text::str_eq;
use crate::evidence::Key;

/// A systeminfo field, named after its English label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Field {
    HostName,
    OsName,
    OsVersion,
    OsManufacturer,
    OsConfiguration,
    OsBuildType,
    RegisteredOwner,
    RegisteredOrganization,
    ProductId,
    OriginalInstallDate,
    SystemBootTime,
    SystemManufacturer,
    SystemModel,
    SystemType,
    Processors,
    BiosVersion,
    WindowsDirectory,
    SystemDirectory,
    BootDevice,
    SystemLocale,
    InputLocale,
    TimeZone,
    TotalPhysicalMemory,
    AvailablePhysicalMemory,
    PageFileMaxSize,
    PageFileAvailable,
    PageFileInUse,
    PageFileLocations,
    Domain,
    LogonServer,
    Hotfixes,
    NetworkCards,
    HypervRequirements,
}

impl Field {
    /// Every field, in the order systeminfo prints them on NT 6.0 (the order
    /// of the columns of `/FO CSV` output).
    pub const ALL: [Field; 33] = [
        Field::HostName,
        Field::OsName,
        Field::OsVersion,
        Field::OsManufacturer,
        Field::OsConfiguration,
        Field::OsBuildType,
        Field::RegisteredOwner,
        Field::RegisteredOrganization,
        Field::ProductId,
        Field::OriginalInstallDate,
        Field::SystemBootTime,
        Field::SystemManufacturer,
        Field::SystemModel,
        Field::SystemType,
        Field::Processors,
        Field::BiosVersion,
        Field::WindowsDirectory,
        Field::SystemDirectory,
        Field::BootDevice,
        Field::SystemLocale,
        Field::InputLocale,
        Field::TimeZone,
        Field::TotalPhysicalMemory,
        Field::AvailablePhysicalMemory,
        Field::PageFileMaxSize,
        Field::PageFileAvailable,
        Field::PageFileInUse,
        Field::PageFileLocations,
        Field::Domain,
        Field::LogonServer,
        Field::Hotfixes,
        Field::NetworkCards,
        Field::HypervRequirements,
    ];

    /// The key of the field in `labels.toml`.
    pub const fn key(self) -> &'static str {
        match self {
            Field::HostName => "host_name",
            Field::OsName => "os_name",
            Field::OsVersion => "os_version",
            Field::OsManufacturer => "os_manufacturer",
            Field::OsConfiguration => "os_configuration",
            Field::OsBuildType => "os_build_type",
            Field::RegisteredOwner => "registered_owner",
            Field::RegisteredOrganization => "registered_organization",
            Field::ProductId => "product_id",
            Field::OriginalInstallDate => "original_install_date",
            Field::SystemBootTime => "system_boot_time",
            Field::SystemManufacturer => "system_manufacturer",
            Field::SystemModel => "system_model",
            Field::SystemType => "system_type",
            Field::Processors => "processors",
            Field::BiosVersion => "bios_version",
            Field::WindowsDirectory => "windows_directory",
            Field::SystemDirectory => "system_directory",
            Field::BootDevice => "boot_device",
            Field::SystemLocale => "system_locale",
            Field::InputLocale => "input_locale",
            Field::TimeZone => "time_zone",
            Field::TotalPhysicalMemory => "total_physical_memory",
            Field::AvailablePhysicalMemory => "available_physical_memory",
            Field::PageFileMaxSize => "page_file_max_size",
            Field::PageFileAvailable => "page_file_available",
            Field::PageFileInUse => "page_file_in_use",
            Field::PageFileLocations => "page_file_locations",
            Field::Domain => "domain",
            Field::LogonServer => "logon_server",
            Field::Hotfixes => "hotfixes",
            Field::NetworkCards => "network_cards",
            Field::HypervRequirements => "hyperv_requirements",
        }
    }

    /// The field with key `key` in `labels.toml`. A `const fn`, so that
    /// the label tables `build.rs` writes name their fields by key.
    pub const fn from_key(key: &str) -> Option<Field> {
        let mut i = 0;
        while i < Field::ALL.len() {
            if str_eq(Field::ALL[i].key(), key) {
                return Some(Field::ALL[i]);
            }
            i += 1;
        }
        None
    }

    /// The evidence key this field feeds, for the fields identity needs.
    pub fn evidence_key(self) -> Option<Key> {
        Some(match self {
            Field::HostName => Key::HostName,
            Field::OsName => Key::ProductName,
            Field::OsVersion => Key::VersionLine,
            Field::OsConfiguration => Key::Role,
            Field::SystemType => Key::Architecture,
            Field::SystemLocale => Key::Locale,
            Field::OriginalInstallDate => Key::InstallDate,
            Field::ProductId => Key::ProductId,
            Field::SystemBootTime => Key::BootTime,
            Field::Domain => Key::Domain,
            _ => return None,
        })
    }

    /// Fields whose value is a count followed by indented `[NN]: item` lines.
    pub fn is_multi_valued(self) -> bool {
        matches!(
            self,
            Field::Processors | Field::Hotfixes | Field::NetworkCards
        )
    }

    /// The fields identity is built on: when one cannot be read, the record
    /// says so.
    pub const ESSENTIAL: [Field; 6] = [
        Field::HostName,
        Field::OsName,
        Field::OsVersion,
        Field::OsConfiguration,
        Field::SystemType,
        Field::Hotfixes,
    ];
}
