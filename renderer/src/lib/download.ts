import type { CsvFile } from '../../../preload/contract';

/**
 * Saves a CSV the node built as a file download. The content already starts with the BOM; a Blob
 * keeps it byte for byte (a data: URL would need re-encoding and has size limits).
 */
export function downloadCsv(file: CsvFile): void {
  const blob = new Blob([file.content], { type: file.mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke after the click has been handled; revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
