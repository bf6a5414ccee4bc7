// Import request/response and pre-flight report schemas (import issue).
export {};
