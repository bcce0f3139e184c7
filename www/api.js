// The page's calls into the core's protocol session (one main worker holds it): the client's side
// of a round, what the server decrypted, the attacker on the server's view, and the scene file.
// Nothing here computes: every op runs in the worker.

/** The API for the session in `core`'s main worker. */
export function protocolApi(core) {
  return {
    clientRound: (args, onProgress) => core.call('clientRound', args, { onProgress }),
    serverDecrypted: (args) => core.call('serverDecrypted', args),
    attack: (args) => core.call('attack', args),
    exportScene: (args) => core.call('exportScene', args),
  };
}
