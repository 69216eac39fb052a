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

/// The largest file of a package that the reader reads (TOML, CSV, Markdown): 8 MiB, far
/// above any real one (the example's largest is 40 kB), so that a wrong file is refused before
/// it is read into memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// The most all those files of a package together may hold: 64 MiB. Ledger exports beside the
/// mapping (`ledger/*.se`) are not counted: the package reader does not read them, and
/// `styr actuals import` streams them in bounded memory.
pub const MAX_PACKAGE_BYTES: u64 = 64 * 1024 * 1024;

fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
}

fn too_large(path: &Path, message: String) -> FilesError {
    FilesError {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, message),
    }
}

impl Files {
    /// Loads every regular file below `root`, skipping hidden files and folders. A file over
    /// [`MAX_FILE_BYTES`], or a package over [`MAX_PACKAGE_BYTES`], is refused before it is
    /// read, naming the file.
    pub fn load(root: &Path) -> Result<Files, FilesError> {
        let mut files = Files::default();
        let mut total: u64 = 0;
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
                    let relative = path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    if !crate::is_ledger_export(&relative) {
                        let size = std::fs::metadata(&path)
                            .map_err(|source| FilesError {
                                path: path.clone(),
                                source,
                            })?
                            .len();
                        if size > MAX_FILE_BYTES {
                            return Err(too_large(
                                &path,
                                format!(
                                    "filen är {} MB; en fil i ett planpaket får vara högst {} MB",
                                    megabytes(size),
                                    megabytes(MAX_FILE_BYTES)
                                ),
                            ));
                        }
                        total += size;
                        if total > MAX_PACKAGE_BYTES {
                            return Err(too_large(
                                &path,
                                format!(
                                    "planpaketets filer är tillsammans över {} MB (gränsen nåddes \
                                     vid den här filen)",
                                    megabytes(MAX_PACKAGE_BYTES)
                                ),
                            ));
                        }
                    }
                    let bytes = std::fs::read(&path).map_err(|source| FilesError {
                        path: path.clone(),
                        source,
                    })?;
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
