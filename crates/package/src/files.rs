//! The files of a package held in memory, keyed by their path relative to the package root
//! (always with `/`). Reading and writing go through this, so a package can be checked from
//! the database without touching the disk.

use crate::Diagnostic;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    pub files: BTreeMap<String, Vec<u8>>,
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct FilesError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

impl FilesError {
    pub fn into_diagnostic(self) -> Diagnostic {
        Diagnostic::new(
            &self.path.display().to_string(),
            0,
            "",
            format!("kan inte läsas: {}", self.source),
        )
    }
}

impl Files {
    /// Loads every regular file below `root`, skipping hidden files and folders.
    pub fn load(root: &Path) -> Result<Files, FilesError> {
        let mut files = Files::default();
        let mut pending = vec![root.to_path_buf()];
        while let Some(dir) = pending.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|source| FilesError {
                path: dir.clone(),
                source,
            })?;
            for entry in entries {
                let entry = entry.map_err(|source| FilesError {
                    path: dir.clone(),
                    source,
                })?;
                let path = entry.path();
                if entry.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let bytes = std::fs::read(&path).map_err(|source| FilesError {
                        path: path.clone(),
                        source,
                    })?;
                    let relative = path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    files.files.insert(relative, bytes);
                }
            }
        }
        Ok(files)
    }

    /// Writes every file below `root`, creating folders as needed.
    pub fn save(&self, root: &Path) -> std::io::Result<()> {
        for (relative, bytes) in &self.files {
            let path = root.join(relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, bytes)?;
        }
        Ok(())
    }

    pub fn insert(&mut self, path: &str, text: String) {
        self.files.insert(path.to_owned(), text.into_bytes());
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }
}
