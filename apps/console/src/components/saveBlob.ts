/** Saves a fetched file (fetched with the access token, so a plain link would not do) under the given name. */
export function saveBlob(data: Blob, filename: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(data);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
