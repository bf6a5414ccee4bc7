// Filled by the issue that owns this resource.
export {};
