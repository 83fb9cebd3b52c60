/** The largest request body the app reads, for the form and the API alike; a bid is well under 1 KB. */
export const BODY_LIMIT = '16kb';
