//! Offline update kits for air-gapped NT 6.0 hosts (issue 17): what to
//! fetch, proof that the files are right, and the script that installs them.
//!
//! * [`install_script`] writes the kit's `install.cmd` from a plain
//!   [`install_script::ScriptPlan`].

pub mod install_script;
