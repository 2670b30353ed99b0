import { useState } from 'react';

/** A password or API key shown once: copy it now, it cannot be shown again. */
export function SecretReveal({
  title,
  secret,
  note,
  onDone,
}: {
  title: string;
  secret: string;
  note: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = () => {
    navigator.clipboard
      ?.writeText(secret)
      .then(() => setCopied('yes'))
      .catch(() => setCopied('no'));
    if (!navigator.clipboard) setCopied('no');
  };
  return (
    <section className="secret card" aria-labelledby="secret-title" role="region">
      <h2 id="secret-title">{title}</h2>
      <p className="notice notice-warn" role="alert">
        <strong>Shown once.</strong> {note} Nexus keeps only a hash: if it is lost, issue a new one.
      </p>
      <div className="secret-value">
        <code aria-label="Secret">{secret}</code>
        <button type="button" className="primary" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'no' ? (
        <p className="muted">Copying is not allowed here: select the text and copy it.</p>
      ) : null}
      <button type="button" onClick={onDone}>
        I have stored it
      </button>
    </section>
  );
}
