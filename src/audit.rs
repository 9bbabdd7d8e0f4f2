//! The audit pipeline for a batch of models: fetch → evidence → licenses → rubric → scorecard.
//! One model's failure never loses the rest of the batch.

use crate::evidence;
use crate::hub::fetch::{fetch_cached, fetch_release};
use crate::hub::local::read_folder;
use crate::hub::{HubCache, HubClient, HubError, HubSettings, ModelRef, Release};
use crate::licenses::{self, KnowledgeBase};
use crate::rubric::{self, Rubric};
use crate::scorecard::Scorecard;
use std::sync::Arc;

/// What happened to one model of a batch.
#[derive(Debug)]
pub struct Outcome {
    /// The model as the user named it.
    pub input: String,
    pub result: Result<Scorecard, HubError>,
}

/// Runs audits with one client, cache, rubric and knowledge base.
#[derive(Clone, Debug)]
pub struct Auditor {
    client: Option<HubClient>,
    cache: HubCache,
    settings: Arc<HubSettings>,
    rubric: Arc<Rubric>,
}

impl Auditor {
    /// Builds an auditor. Offline, no HTTP client exists at all, so no socket can be opened.
    pub fn new(settings: HubSettings, rubric: Rubric) -> Result<Auditor, String> {
        let client = if settings.offline {
            None
        } else {
            Some(HubClient::new(settings.clone())?)
        };
        Ok(Auditor {
            client,
            cache: HubCache::new(settings.cache_dir.clone()),
            settings: Arc::new(settings),
            rubric: Arc::new(rubric),
        })
    }

    pub fn client(&self) -> Option<&HubClient> {
        self.client.as_ref()
    }

    /// Audits every input concurrently (bounded by the client's concurrency); results come back
    /// in input order.
    pub async fn audit_all(&self, inputs: &[String]) -> Vec<Outcome> {
        let limit = Arc::new(tokio::sync::Semaphore::new(
            self.settings.concurrency.saturating_mul(2).max(1),
        ));
        let mut tasks = tokio::task::JoinSet::new();
        for (index, input) in inputs.iter().enumerate() {
            let auditor = self.clone();
            let input = input.clone();
            let limit = Arc::clone(&limit);
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await.expect("never closed");
                let result = auditor.audit(&input).await;
                (index, Outcome { input, result })
            });
        }
        let mut outcomes: Vec<(usize, Outcome)> = Vec::with_capacity(inputs.len());
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(done) => outcomes.push(done),
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            }
        }
        outcomes.sort_by_key(|(index, _)| *index);
        outcomes.into_iter().map(|(_, o)| o).collect()
    }

    /// Audits one model as named on the command line.
    pub async fn audit(&self, input: &str) -> Result<Scorecard, HubError> {
        let model = ModelRef::parse(input, &self.settings.endpoint).map_err(|reason| {
            HubError::InvalidModel {
                input: input.to_owned(),
                reason,
            }
        })?;
        let release = self.fetch(&model).await?;
        Ok(score(
            input,
            &release,
            &self.rubric,
            KnowledgeBase::embedded(),
        ))
    }

    async fn fetch(&self, model: &ModelRef) -> Result<Release, HubError> {
        match (model, &self.client) {
            (ModelRef::Local { path }, _) => {
                let path = path.clone();
                let cap = self.settings.max_text_bytes;
                tokio::task::spawn_blocking(move || read_folder(&path, cap))
                    .await
                    .expect("folder reader does not panic")
            }
            (ModelRef::Hub { id, revision }, None) => fetch_cached(
                &self.cache,
                id,
                revision.as_deref(),
                self.settings.max_text_bytes,
            ),
            (ModelRef::Hub { id, revision }, Some(client)) => {
                fetch_release(client, Some(&self.cache), id, revision.as_deref()).await
            }
        }
    }
}

/// Scores a fetched release: pure, no I/O.
pub fn score(input: &str, release: &Release, rubric: &Rubric, kb: &KnowledgeBase) -> Scorecard {
    let mut ev = evidence::collect(release);
    licenses::apply(kb, licenses::Recognizer::embedded(), release, &mut ev);
    let assessment = rubric::evaluate(rubric, &ev);
    Scorecard::new(input, release, ev, assessment)
}
