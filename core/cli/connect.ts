// A client for a workspace's cluster, from its cluster.json and the client certificate in its PKI.

import type { Endpoint } from '../client/http2-pool.js';
import { ClusterConnection, KvClient } from '../client/cluster-client.js';
import { clientUrl } from '../workspace/definition.js';
import { workspacePaths } from '../workspace/paths.js';
import { UserError } from '../workspace/user-error.js';
import { loadDefinition } from '../workspace/workspace.js';
import { cli } from '../workspace/cli-name.js';
import { loadClientCredentials } from '../pki/credentials.js';

export async function connectToWorkspace(dir: string, timeoutMs = 5000): Promise<{ connection: ClusterConnection; kv: KvClient; endpoints: Endpoint[] }> {
  const { definition } = await loadDefinition(dir);
  const credentials = await loadClientCredentials(workspacePaths(dir).pki).catch(() => {
    throw new UserError(`${dir} has no client certificate yet; start the cluster once with \`${cli(`up ${dir}`)}\`.`);
  });
  const endpoints = definition.nodes.map((n) => ({ id: n.id, url: clientUrl(n) }));
  const connection = new ClusterConnection({ endpoints, credentials, timeoutMs });
  return { connection, kv: new KvClient(connection), endpoints };
}
