import { useEffect, useState } from 'react';

interface QrModules {
  size: number;
  dark: boolean[];
}

/** The modules of a QR code for `text` (error correction M); the `qrcode` package loads on the first code shown. */
async function qrModules(text: string): Promise<QrModules> {
  const { create } = await import('qrcode');
  const code = create(text, { errorCorrectionLevel: 'M' });
  return { size: code.modules.size, dark: Array.from(code.modules.data, (bit) => bit === 1) };
}

/**
 * A QR code drawn as one SVG path — a square per dark module inside the four-module quiet zone — so no canvas,
 * inline script or style is needed and the CSP stays strict. Nothing is drawn until the code is computed.
 */
export function QrCode({ text, label, className }: { text: string; label: string; className?: string }) {
  const [modules, setModules] = useState<{ text: string; value: QrModules } | null>(null);
  useEffect(() => {
    let current = true;
    void qrModules(text).then((value) => {
      if (current) setModules({ text, value });
    });
    return () => {
      current = false;
    };
  }, [text]);
  if (modules?.text !== text) return null;
  const { size, dark } = modules.value;
  const quiet = 4;
  let d = '';
  dark.forEach((on, i) => {
    if (on) d += `M${(i % size) + quiet} ${Math.floor(i / size) + quiet}h1v1h-1z`;
  });
  const full = size + quiet * 2;
  return (
    <svg
      className={className}
      viewBox={`0 0 ${full} ${full}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
    >
      <rect width={full} height={full} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
