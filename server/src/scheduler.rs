//! The background scheduler: every few seconds it raises the recurring obligations owed (each
//! period once, catching up after downtime) and records the escalations that have arisen.
//! Several instances may run it against one database: the store makes each raise happen once.

use std::sync::Arc;
use std::time::Duration;

use app::error::AppError;
use app::ports::{CaseStore, RaisedObligation};
use chrono::{DateTime, Utc};
use tokio::task::JoinHandle;

/// What one tick did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tick {
    pub raised: Vec<RaisedObligation>,
    /// Cases that had an escalation recorded.
    pub escalated: usize,
}

#[derive(Clone)]
pub struct Scheduler {
    cases: Arc<dyn CaseStore>,
}

impl Scheduler {
    pub fn new(cases: Arc<dyn CaseStore>) -> Self {
        Scheduler { cases }
    }

    /// One round of the scheduler's duties at `now`.
    pub async fn tick(&self, now: DateTime<Utc>) -> Result<Tick, AppError> {
        let raised = self.cases.raise_due_obligations(now).await?;
        let escalated = self.cases.record_due_escalations(now).await?;
        Ok(Tick { raised, escalated })
    }

    /// Runs a tick at once and then every `every`, until the task is aborted. A failed tick
    /// (the database restarting, say) is logged and tried again at the next one.
    pub fn spawn(self, every: Duration) -> JoinHandle<()> {
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(every);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                match self.tick(Utc::now()).await {
                    Ok(tick) if tick.raised.is_empty() && tick.escalated == 0 => {}
                    Ok(tick) => tracing::info!(
                        raised = tick.raised.len(),
                        escalated = tick.escalated,
                        "scheduler tick"
                    ),
                    Err(error) => tracing::warn!(%error, "scheduler tick failed; retrying later"),
                }
            }
        })
    }
}
