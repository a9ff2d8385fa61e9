// One severity vocabulary for every checker (migrate-check, validate):
//   error: it breaks (a port nobody listens on, an object the API server rejects).
//   warn:  it behaves differently or is risky (another replica count, a plain-text password).
//   info:  an expected difference worth knowing (HPA, downward API, NodePort).
export type Severity = 'error' | 'warn' | 'info';
