/**
 * Blocking keys of national ids and e-mails hold a blind index when encryption at rest is on, so
 * no identifier is stored in the clear beside its sealed value (docs/decisions/0049-encryption-at-rest.md).
 * The matching core knows nothing of keys: the privacy layer installs the blinding in each thread
 * with its cipher (`installFieldCipher`). None installed: encryption is off and an identifier is
 * its own key.
 */
let installed: ((kind: string, value: string) => string) | undefined;

export function installIdentifierBlinding(
  blind: ((kind: string, value: string) => string) | undefined,
): void {
  installed = blind;
}

/** The blind index of an identifier when encryption is on; the value itself when it is off. */
export function blindIdentifier(kind: string, value: string): string {
  return installed === undefined ? value : installed(kind, value);
}
