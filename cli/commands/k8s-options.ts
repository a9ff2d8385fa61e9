// Options shared by the commands that have a --k8s branch. Kept apart from the
// Kubernetes code so that declaring a command does not load it.
export const K8S_OPTION = { type: 'boolean', describe: 'Kubernetes environment (a kind cluster, or DEVENV_KUBECONFIG / --kubeconfig)' } as const;
export const KUBECONFIG_OPTION = { type: 'string', describe: 'With --k8s: use this kubeconfig (an existing cluster; kind is not touched)' } as const;
