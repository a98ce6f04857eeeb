import { DOMParser } from '@xmldom/xmldom';
import { readFileSync } from 'node:fs';
import { SignedXml } from 'xml-crypto';
import { Forbidden, InvalidInput } from '../../common/errors';

/** The XML Signature namespace (W3C XML-Signature Syntax and Processing, 2nd ed., 2008). */
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

/** What the signature check found: `verified` (signed by the sender's configured key), `unsigned`, or `unverified` (signed, but no key is configured for the sender). */
export type SignatureCheck = 'verified' | 'unsigned' | 'unverified';

/** The outcome of {@link checkCapSignature}: the check, and the XML to read the message from. */
export interface SignedCap {
  signature: SignatureCheck;
  /**
   * The message to read: for a verified message, the signed content itself (the canonical `alert`
   * without its `Signature`, as the signature's one reference covers it), so nothing outside what was
   * signed is ever read; otherwise the message as received.
   */
  xml: string;
}

/**
 * Reads `ALERT_SENDER_KEYS`: comma-separated `sender=path` pairs, the path to the PEM public key or X.509
 * certificate the sender signs its CAP messages with (split at the last `=`, so a sender may contain one).
 * Files are read once, here.
 * @returns sender → PEM text
 * @throws Error naming the setting and the pair or file when a pair has no `=` or a file cannot be read
 */
export function readSenderKeys(setting: string, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Map<string, string> {
  const keys = new Map<string, string>();
  for (const pair of setting.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new Error(`ALERT_SENDER_KEYS: "${pair}" is not sender=path-to-pem`);
    const path = pair.slice(at + 1).trim();
    try {
      keys.set(pair.slice(0, at).trim(), readFile(path));
    } catch (e) {
      throw new Error(`ALERT_SENDER_KEYS: cannot read the key of ${pair.slice(0, at).trim()} at ${path} (${(e as Error).message})`);
    }
  }
  return keys;
}

/**
 * Checks the XML-DSig signature of a received CAP message (CAP 1.2 §3.3.2.1 allows an enveloped
 * `Signature` as the last child of `alert`). A sender with a configured key must sign, and only a
 * signature that covers the whole message counts: exactly one `Signature`, a child of the root `alert`,
 * with one `Reference` whose URI is empty (the whole document) and the enveloped-signature transform;
 * the key is the configured one, never one carried in the message's `KeyInfo`. Verification is
 * `xml-crypto`'s (digest and signature value; it refuses a document that holds two copies of the
 * signature).
 * @param xml the message as received (envelope already checked: no DOCTYPE, well formed)
 * @param sender the message's `sender`
 * @param keys sender → PEM public key or certificate ({@link readSenderKeys})
 * @throws Forbidden (403) naming `Signature` when the sender has a key and the message is unsigned, or the
 *   signature does not verify with that key
 * @throws InvalidInput (400) naming `Signature` when the signature's shape is not one enveloped signature of the whole message
 */
export function checkCapSignature(xml: string, sender: string, keys: ReadonlyMap<string, string>): SignedCap {
  const doc = new DOMParser({ errorHandler: () => undefined }).parseFromString(xml, 'text/xml');
  const signatures = Array.from(doc.getElementsByTagNameNS(XMLDSIG_NS, 'Signature'));
  const key = keys.get(sender);
  if (!signatures.length) {
    if (key) throw new Forbidden(`Signature: messages of ${sender} must be signed with its configured key (ALERT_SENDER_KEYS); this one is not signed`);
    return { signature: 'unsigned', xml };
  }
  if (signatures.length > 1) throw new InvalidInput('Signature: a CAP message carries one enveloped signature; this one has several');
  const signature = signatures[0];
  if (signature.parentNode !== doc.documentElement) throw new InvalidInput('Signature: the signature must be a child of the root alert element');
  const references = Array.from(signature.getElementsByTagNameNS(XMLDSIG_NS, 'Reference'));
  if (references.length !== 1 || (references[0].getAttribute('URI') ?? '') !== '') {
    throw new InvalidInput('Signature: the signature must have one Reference with URI="" (the whole message)');
  }
  const transforms = Array.from(references[0].getElementsByTagNameNS(XMLDSIG_NS, 'Transform')).map((t) => t.getAttribute('Algorithm'));
  if (!transforms.includes(ENVELOPED)) throw new InvalidInput('Signature: the Reference must use the enveloped-signature transform');
  if (!key) return { signature: 'unverified', xml };

  const verifier = new SignedXml({ publicCert: key, getCertFromKeyInfo: () => null });
  let ok = false;
  try {
    verifier.loadSignature(signature as unknown as Node);
    ok = verifier.checkSignature(xml);
  } catch (e) {
    throw new Forbidden(`Signature: does not verify with the configured key of ${sender} (${(e as Error).message.slice(0, 200)})`);
  }
  if (!ok) throw new Forbidden(`Signature: does not verify with the configured key of ${sender}`);
  const [signed] = verifier.getSignedReferences();
  return { signature: 'verified', xml: signed };
}
