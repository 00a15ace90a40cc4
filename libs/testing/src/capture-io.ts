/** Collects what a CLI command writes to stdout and stderr (the `CommandIo` of apps/cli), for specs. */
export function captureIo(): {
  out: (text: string) => void;
  err: (text: string) => void;
  stdout: () => string;
  stderr: () => string;
} {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    stdout: () => out,
    stderr: () => err,
  };
}
