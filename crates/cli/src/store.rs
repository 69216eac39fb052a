//! Placeholder until the store lands.
use anyhow::{Result, bail};
use styr_domain::Plan;
pub fn load_for_check(_url: &str) -> Result<Plan> {
    bail!("not yet")
}
