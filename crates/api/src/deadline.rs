//! The client timeout for request bodies: a body not fully received within
//! `service.client_timeout_secs` of its head ends in an error, so a client that announces a
//! body and sends part of it cannot hold a connection (actix's `client_request_timeout` does
//! the same for the head). The RDS endpoint answers it `RequestTimeout` (408); every route's
//! connection is then closed, its body unread.

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::web::{self, Bytes};
use actix_web::HttpMessage;
use futures_util::Stream;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::time::Sleep;

/// The error a late body ends with.
pub fn is_timeout(e: &PayloadError) -> bool {
    matches!(e, PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut)
}

/// A body that fails once `sleep` elapses, then ends.
struct Deadline {
    inner: Payload,
    sleep: Pin<Box<Sleep>>,
    expired: bool,
}

impl Stream for Deadline {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.expired {
            return Poll::Ready(None);
        }
        if let Poll::Ready(item) = Pin::new(&mut this.inner).poll_next(cx) {
            return Poll::Ready(item);
        }
        match this.sleep.as_mut().poll(cx) {
            Poll::Ready(()) => {
                this.expired = true;
                Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the request body was not received in time",
                )))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Middleware: give the request's body the app's client timeout.
pub async fn limit(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let Some(timeout) = req
        .app_data::<web::Data<crate::AppState>>()
        .map(|s| s.client_timeout)
    else {
        return next.call(req).await;
    };
    let inner = req.take_payload();
    req.set_payload(Payload::Stream {
        payload: Box::pin(Deadline {
            inner,
            sleep: Box::pin(tokio::time::sleep(timeout)),
            expired: false,
        }),
    });
    next.call(req).await
}
