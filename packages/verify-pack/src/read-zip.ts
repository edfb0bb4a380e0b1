import type { Readable } from "node:stream";
import yauzl from "yauzl";

/** A ZIP archive opened for reading its files one at a time, as streams, so a pack of any size fits in memory. */
export interface ZipReader {
  /** The paths of its files (directories left out), in the order the archive lists them. */
  paths: string[];
  has(path: string): boolean;
  /** A file's bytes, for the small ones (manifest, signature, chain). */
  read(path: string): Promise<Buffer>;
  stream(path: string): Promise<Readable>;
  close(): void;
}

export async function openZip(zipPath: string): Promise<ZipReader> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: false }, (error, file) =>
      error ? reject(error) : resolve(file),
    ),
  );
  const entries = await new Promise<Map<string, yauzl.Entry>>((resolve, reject) => {
    const byPath = new Map<string, yauzl.Entry>();
    zip.on("error", reject);
    zip.on("end", () => resolve(byPath));
    zip.on("entry", (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith("/")) byPath.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
  const stream = (path: string) =>
    new Promise<Readable>((resolve, reject) => {
      const entry = entries.get(path);
      if (!entry) return reject(new Error(`${path}: not in the archive`));
      zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable)));
    });
  return {
    paths: [...entries.keys()],
    has: (path) => entries.has(path),
    stream,
    async read(path) {
      const chunks: Buffer[] = [];
      for await (const chunk of await stream(path)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    close: () => zip.close(),
  };
}

/** Every file of a ZIP archive, by path, in memory: for tests and tools that take small packs apart. */
export async function readZipEntries(zipPath: string): Promise<Map<string, Buffer>> {
  const zip = await openZip(zipPath);
  try {
    const entries = new Map<string, Buffer>();
    for (const path of zip.paths) entries.set(path, await zip.read(path));
    return entries;
  } finally {
    zip.close();
  }
}
