/** The name of the running app (`api`, `ingest`, `fanout`), as given to `ObservabilityModule.forApp`. */
export const OBSERVED_APP = Symbol('OBSERVED_APP');
