//! Keeps each page request's reactive arena current while its handler runs.
//!
//! Leptos (with `sandboxed-arenas`, as on a server) keeps every request's reactive values in
//! an arena of its own, and finds "the current arena" in a thread-local that a wrapped
//! future (`Sandboxed`) sets when it is polled and never restores. Most of a page's work runs
//! inside such futures, but `leptos_integration_utils`' response builder reads reactive values
//! between awaits in its own future: the page's `<Title>` (which reads the language signal)
//! and the lazy-loading manifest. When that future resumes on a thread where another request
//! ran last, the thread-local names the other request's arena, and the read panics ("Tried to
//! access a reactive value that has already been disposed"), closing the connection: about
//! one board page in 3,500 with 16 clients, before this wrapper.
//!
//! [`keep_request_arena`] wraps the rest of the stack: after each poll that leaves the request
//! unfinished it takes the arena current at that moment (the one the request's own code set
//! last: the first poll of a page creates its root owner, which makes its arena current), and
//! makes it current again before the next poll.

use std::future::{Future, Pending};
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::http::Request;
use axum::middleware::Next;
use axum::response::Response;
use leptos::reactive::owner::Sandboxed;

/// Middleware: runs the request with its arena kept current (see the module's note).
pub async fn keep_request_arena(request: Request<Body>, next: Next) -> Response {
    KeepArena {
        inner: Box::pin(next.run(request)),
        arena: None,
    }
    .await
}

struct KeepArena<F> {
    inner: Pin<Box<F>>,
    /// A future that never ends, made under the request's arena: polling it makes that arena
    /// current (the only public way to set it).
    arena: Option<Pin<Box<Sandboxed<Pending<()>>>>>,
}

impl<F: Future> Future for KeepArena<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        if let Some(arena) = this.arena.as_mut() {
            let _ = arena.as_mut().poll(cx);
        }
        let polled = this.inner.as_mut().poll(cx);
        if polled.is_pending() {
            // Whatever this poll made current (it ran nothing of other requests).
            this.arena = Some(Box::pin(Sandboxed::new(std::future::pending())));
        }
        polled
    }
}
