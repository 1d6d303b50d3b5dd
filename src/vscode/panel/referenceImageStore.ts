// Reference images chosen in the Generate panel, kept as private copies under the extension's storage
// folder: <root>/<uuid>/<original file name>. Why copies:
//  - a dropped image only exists as bytes, and a picked one may live anywhere on disk, but the webview may
//    only load thumbnails from its localResourceRoots; one folder of copies is the narrowest root;
//  - the uuid is a token the webview can hold in its saved state without ever naming a path, and it still
//    resolves after a window reload;
//  - the task records the copy's path and the original name (the folder keeps the name), which is what the
//    upload and the metadata record need.
// Node only (no 'vscode'), so it is tested under plain mocha.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { validate, type ImageContentType } from '../../core/catalog';
import { checkReferenceImage, readReferenceImage } from '../../core/files/pathGuard';
import { IMAGE_TOKEN_PATTERN as TOKEN_PATTERN } from '../../shared/protocol';
const HEAD_BYTES = 16;

export interface StoredReferenceImage {
  readonly token: string;
  /** Absolute path of the copy; its base name is the original file name. */
  readonly path: string;
  readonly fileName: string;
  readonly byteLength: number;
  readonly contentType: ImageContentType;
  readonly head: Uint8Array;
}

/** A refusal whose message is meant for the person (shown next to the field). */
export class ReferenceImageError extends Error {
  override readonly name = 'ReferenceImageError';
}

export class ReferenceImageStore {
  constructor(readonly root: string) {}

  /** Checks a file the person picked (size first, then content) and stores a copy. */
  async importFile(sourcePath: string): Promise<StoredReferenceImage> {
    let image: Awaited<ReturnType<typeof readReferenceImage>>;
    try {
      image = await readReferenceImage(sourcePath);
    } catch (error) {
      throw new ReferenceImageError(error instanceof Error ? error.message : String(error));
    }
    return this.write(image.fileName, image.data);
  }

  /** Checks bytes the webview sent (it cannot be trusted to have checked them) and stores a copy. */
  async importBytes(fileName: string, bytes: Uint8Array): Promise<StoredReferenceImage> {
    const problems = validate({ inputReference: { fileName, byteLength: bytes.byteLength, head: bytes.subarray(0, HEAD_BYTES) } })
      .filter((p) => p.field === 'inputReference');
    if (problems.length > 0) throw new ReferenceImageError(problems.map((p) => p.message).join(' '));
    return this.write(fileName, bytes);
  }

  /** The stored image for a token, re-checked; undefined when the token is malformed or its copy is gone. */
  async find(token: string): Promise<StoredReferenceImage | undefined> {
    if (!TOKEN_PATTERN.test(token)) return undefined;
    const dir = path.join(this.root, token);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return undefined;
    }
    if (names.length !== 1) return undefined;
    try {
      const file = path.join(dir, names[0]);
      const checked = await checkReferenceImage(file, { allowedRoots: [await fs.realpath(this.root)] });
      return {
        token,
        path: file,
        fileName: checked.fileName,
        byteLength: checked.byteLength,
        contentType: checked.contentType,
        head: await readHead(file),
      };
    } catch {
      return undefined;
    }
  }

  /** Deletes a stored copy (a malformed token is ignored: nothing outside the root is ever touched). */
  async discard(token: string): Promise<void> {
    if (!TOKEN_PATTERN.test(token)) return;
    await fs.rm(path.join(this.root, token), { recursive: true, force: true });
  }

  /** Deletes copies older than `maxAgeMs`, except the tokens in `keep` (still used by tasks or forms). */
  async sweep(maxAgeMs: number, now: number, keep: ReadonlySet<string> = new Set()): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.root);
    } catch {
      return;
    }
    for (const name of names) {
      if (!TOKEN_PATTERN.test(name) || keep.has(name)) continue;
      try {
        const stat = await fs.stat(path.join(this.root, name));
        if (now - stat.mtimeMs > maxAgeMs) await this.discard(name);
      } catch {
        // Gone meanwhile, or unreadable: nothing to clean.
      }
    }
  }

  /** The token of a stored copy's path, if the path is one of ours. */
  tokenOf(filePath: string): string | undefined {
    const relative = path.relative(this.root, filePath);
    const [token, name, ...rest] = relative.split(path.sep);
    return TOKEN_PATTERN.test(token ?? '') && name && rest.length === 0 ? token : undefined;
  }

  private async write(fileName: string, bytes: Uint8Array): Promise<StoredReferenceImage> {
    const token = randomUUID();
    const dir = path.join(this.root, token);
    // The name is a base name already (picked: path.basename; dropped: the protocol refuses separators);
    // basename again so a mistake upstream can never write outside the token's folder.
    const file = path.join(dir, path.basename(fileName));
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(file, bytes, { flag: 'wx' });
    const found = await this.find(token);
    if (!found) {
      await this.discard(token);
      throw new ReferenceImageError(l10n.t('"{0}" could not be stored for upload.', fileName));
    }
    return found;
  }
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return new Uint8Array(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
