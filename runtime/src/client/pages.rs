//! [`Client::paginate`]: a listing as a stream of pages ([`Pages`]) or of items
//! ([`Items`]), following the request's declared [`Paginate`] convention.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::Client;
use crate::error::Error;
use crate::limits::DEFAULT_MAX_PAGES;
use crate::paginate::{Convention, Paginate};

type PageFuture<R> =
    Pin<Box<dyn Future<Output = (R, Result<<R as crate::Request>::Response, Error>)> + Send>>;

impl Client {
    /// The pages of a listing, as a [`Stream`] of answers: `request` as built for the first
    /// page, then the same request with only its cursor moved (`PageNumber`, `NextToken` or
    /// `Marker`) for each next one, until the convention's end (see
    /// [`paginate`](crate::paginate)). Every page is one [`call`](Client::call), with the
    /// client's retries. Nothing is sent until the stream is polled.
    ///
    /// On an error — a failed call, a server that repeats a cursor or answers another page
    /// than asked, more than [`max_pages`](Pages::max_pages) pages — the stream yields the
    /// error and then ends. [`Pages::items`] flattens the pages into their items.
    ///
    /// ```no_run
    /// # use aliyun_rpc::Request;
    /// # #[aliyun_rpc::response] pub struct DescribeVpcsResponse {
    /// #     pub total_count: Option<i32>, pub page_number: Option<i32>, pub page_size: Option<i32>,
    /// #     pub vpcs: Vec<Vpc> }
    /// # #[aliyun_rpc::response] pub struct Vpc { pub vpc_id: String }
    /// # #[derive(Clone, Request)]
    /// # #[rpc(product = "Vpc", version = "2016-04-28", action = "DescribeVpcs",
    /// #       response = DescribeVpcsResponse, paginate(page_number, items = "vpcs", item = Vpc))]
    /// # pub struct DescribeVpcs { pub region_id: String, pub page_number: Option<i32>, pub page_size: Option<i32> }
    /// use futures_util::TryStreamExt as _;
    ///
    /// # async fn run(client: aliyun_rpc::Client) -> Result<(), aliyun_rpc::Error> {
    /// let request = DescribeVpcs::new("cn-hangzhou").page_size(50);
    /// let mut vpcs = client.paginate(&request).items();
    /// while let Some(vpc) = vpcs.try_next().await? {
    ///     println!("{}", vpc.vpc_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn paginate<R>(&self, request: &R) -> Pages<R>
    where
        R: Paginate + Clone + Send + Sync + 'static,
        R::Response: Send + 'static,
    {
        Pages {
            client: self.clone(),
            next: Some(request.clone()),
            in_flight: None,
            page: request.page_number().unwrap_or(1),
            fetched: 0,
            max_pages: DEFAULT_MAX_PAGES,
            items_seen: 0,
            cursors_seen: HashSet::new(),
        }
    }
}

/// The pages of a listing: a [`Stream`] of `Result<R::Response, Error>` from
/// [`Client::paginate`].
#[must_use = "a stream does nothing unless polled"]
pub struct Pages<R: Paginate> {
    client: Client,
    /// The request for the next page; `None` once the listing has ended.
    next: Option<R>,
    in_flight: Option<PageFuture<R>>,
    /// Page-number convention: the page asked for next (or in flight).
    page: u64,
    /// Pages asked for so far.
    fetched: u32,
    max_pages: u32,
    /// Page-number convention: items on the pages so far, against `TotalCount`.
    items_seen: u64,
    /// Token and marker conventions: every cursor sent, so that a repeated one stops the
    /// listing. At most `max_pages` entries.
    cursors_seen: HashSet<String>,
}

// No field is pinned: the request is moved in and out of the in-flight future by value.
impl<R: Paginate> Unpin for Pages<R> {}

impl<R: Paginate> fmt::Debug for Pages<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("action", &R::ACTION)
            .field("fetched", &self.fetched)
            .field("max_pages", &self.max_pages)
            .field("done", &(self.next.is_none() && self.in_flight.is_none()))
            .finish_non_exhaustive()
    }
}

impl<R> Pages<R>
where
    R: Paginate + Send + Sync + 'static,
    R::Response: Send + 'static,
{
    /// Stops with [`Error::Pagination`] rather than ask for more than `max` pages
    /// (default [`DEFAULT_MAX_PAGES`], 10 000): the bound on a listing that a server never
    /// ends. Set it before polling.
    pub fn max_pages(mut self, max: u32) -> Self {
        self.max_pages = max;
        self
    }

    /// The items of every page, in order: a [`Stream`] of `Result<R::Item, Error>` that
    /// yields an error where the pages do, then ends.
    pub fn items(self) -> Items<R> {
        Items {
            pages: self,
            current: Vec::new().into_iter(),
        }
    }

    fn fail(&mut self, reason: impl Into<String>) -> Error {
        self.next = None;
        Error::pagination(R::ACTION, self.fetched, reason)
    }

    /// Moves `request` to the page after `answer`, or ends the listing; `Err` when the
    /// server did not move on.
    fn advance(&mut self, mut request: R, answer: &R::Response) -> Result<(), Error> {
        let info = R::page_info(answer);
        let items = info.items as u64;
        match info.convention {
            Convention::PageNumber {
                page,
                page_size,
                total_count,
            } => {
                if let Some(answered) = page.filter(|&p| p != self.page) {
                    return Err(self.fail(format!(
                        "asked for page {}, the server answered page {answered}",
                        self.page
                    )));
                }
                self.items_seen = self.items_seen.saturating_add(items);
                let end = items == 0
                    || page_size.is_some_and(|size| items < size)
                    || total_count.is_some_and(|total| self.items_seen >= total);
                if !end {
                    self.page = self.page.saturating_add(1);
                    request.set_page_number(self.page);
                    self.next = Some(request);
                }
            }
            Convention::NextToken { next } => {
                if let Some(token) = next.filter(|t| !t.is_empty()) {
                    self.follow(request, token, "NextToken")?;
                }
            }
            Convention::Marker { next, is_truncated } => {
                if is_truncated {
                    match next.filter(|m| !m.is_empty()) {
                        Some(marker) => self.follow(request, marker, "Marker")?,
                        None => {
                            return Err(self.fail("the answer says IsTruncated but has no Marker"))
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn follow(&mut self, mut request: R, cursor: String, name: &str) -> Result<(), Error> {
        if self.cursors_seen.contains(&cursor) {
            return Err(self.fail(format!(
                "the server repeated a {name} it sent before; stopped instead of looping"
            )));
        }
        request.set_cursor(&cursor);
        self.cursors_seen.insert(cursor);
        self.next = Some(request);
        Ok(())
    }
}

impl<R> Stream for Pages<R>
where
    R: Paginate + Send + Sync + 'static,
    R::Response: Send + 'static,
{
    type Item = Result<R::Response, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.in_flight.is_none() {
            let Some(request) = this.next.take() else {
                return Poll::Ready(None);
            };
            if this.fetched >= this.max_pages {
                let max = this.max_pages;
                return Poll::Ready(Some(Err(this.fail(format!(
                    "the listing has more than {max} pages, the limit (`Pages::max_pages`)"
                )))));
            }
            this.fetched += 1;
            let client = this.client.clone();
            this.in_flight = Some(Box::pin(async move {
                let answer = client.call(&request).await;
                (request, answer)
            }));
        }
        let Some(in_flight) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let (request, answer) = match in_flight.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(done) => done,
        };
        this.in_flight = None;
        Poll::Ready(Some(match answer {
            Ok(answer) => this.advance(request, &answer).map(|()| answer),
            Err(e) => Err(e),
        }))
    }
}

/// The items of a listing: a [`Stream`] of `Result<R::Item, Error>` from [`Pages::items`].
#[must_use = "a stream does nothing unless polled"]
pub struct Items<R: Paginate> {
    pages: Pages<R>,
    current: std::vec::IntoIter<R::Item>,
}

impl<R: Paginate> Unpin for Items<R> {}

impl<R: Paginate> fmt::Debug for Items<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.current.len())
            .finish()
    }
}

impl<R> Stream for Items<R>
where
    R: Paginate + Send + Sync + 'static,
    R::Response: Send + 'static,
{
    type Item = Result<R::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.current = R::into_items(page).into_iter(),
            }
        }
    }
}
