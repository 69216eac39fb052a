use crate::example_dir;
