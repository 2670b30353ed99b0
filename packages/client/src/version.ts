/**
 * The API version this client speaks. The server answers a client whose version it does not
 * speak with CLIENT.VERSION_UNSUPPORTED instead of failing later in some other way.
 */
export const NEXUS_API_VERSION = 1;

/** The request header (and WebSocket connection parameter, `apiVersion`) carrying it. */
export const API_VERSION_HEADER = 'x-nexus-api-version';
