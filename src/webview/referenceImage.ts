// The reference-images field: up to the model's limit (9 for the 2.0 models), in upload order. A picker that
// goes through the extension (the webview never touches the file system), drag and drop of image files (the
// browser reads each dropped File and sends its bytes; the extension checks them again and stores a copy),
// and one row per image: thumbnail, file name, size and its own Remove button.
import * as l10n from '@vscode/l10n';
import { MAX_REFERENCE_IMAGE_BYTES, MODELS, acceptsReferenceImage, referenceImageLimit, validate, type ModelInfo } from '../core/catalog';
import type { ReferenceImageView } from '../shared/protocol';
import { codicon, formatBytes, h, replaceChildren, setHidden } from './dom';
import type { Host } from './host';

/** Enough bytes for catalog.sniffImageType. */
const HEAD_BYTES = 16;

export class ReferenceImageField {
  readonly element: HTMLElement;
  private readonly chooseButton: HTMLElement;
  private readonly dropZone: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly list: HTMLElement;
  private readonly count: HTMLElement;
  private readonly note: HTMLElement;
  private readonly status: HTMLElement;
  readonly errorId = 'image-error';
  private readonly error: HTMLElement;
  private images: readonly ReferenceImageView[] = [];
  /** Each shown image's row, kept while the image stays: its Remove button keeps focus and its thumbnail does not reload. */
  private readonly rows = new Map<string, { readonly element: HTMLElement; readonly uri: string }>();
  private transientError = '';
  private accepts = true;
  private limit = referenceImageLimit(undefined);

  constructor(
    private readonly host: Host,
    /** The new list after an add or a remove (the form owns the value). */
    private readonly onImages: (images: readonly ReferenceImageView[]) => void,
    /** Asks the form to show problems again (after this field's own pick/drop error changed). */
    private readonly requestRender: () => void,
  ) {
    this.chooseButton = h('vscode-button', { secondary: true, icon: 'file-media', id: 'choose-image' }, l10n.t('Add Images…'));
    this.chooseButton.addEventListener('click', () => void this.pick().catch((e: unknown) => console.error('Seedance panel:', e)));
    this.status = h('span', { class: 'drop-status', id: 'image-status', 'aria-live': 'polite' });
    this.hint = h('span', { class: 'drop-hint' });
    this.dropZone = h('div', { class: 'drop-zone', id: 'image-drop-zone' }, this.chooseButton, this.hint, this.status);
    this.list = h('ol', { class: 'image-list', id: 'image-list', 'aria-labelledby': 'image-label', hidden: true });
    this.count = h('span', { class: 'muted', id: 'image-count' });
    this.note = h('p', { class: 'field-note', id: 'image-note', hidden: true });
    this.error = h('div', { class: 'field-error', id: this.errorId, role: 'alert' });
    this.element = h(
      'div',
      { class: 'field', id: 'image-field', role: 'group', 'aria-labelledby': 'image-label', 'aria-describedby': 'image-count image-error' },
      h('div', { class: 'field-head' },
        h('div', { class: 'label', id: 'image-label' }, l10n.t('Reference images'), ' ', h('span', { class: 'optional' }, l10n.t('(optional)'))),
        this.count),
      this.note,
      this.list,
      this.dropZone,
      this.error,
    );
    this.wireDrop();
    this.layout();
  }

  /** Offers the picker only for models that take images (up to their limit), with a note saying why otherwise. */
  setModel(model: ModelInfo | undefined): void {
    this.accepts = model ? acceptsReferenceImage(model) : true;
    this.limit = model && this.accepts ? model.maxReferenceImages : referenceImageLimit(undefined);
    const takers = MODELS.filter(acceptsReferenceImage).map((m) => m.label).join(l10n.t(' or '));
    setHidden(this.note, this.accepts);
    this.note.textContent = this.accepts ? '' : l10n.t('{0} makes videos from text only; a reference image needs {1}.', model?.label ?? '', takers);
    this.layout();
  }

  /** Shows `images`; rebuilt only when they really changed, so re-rendering the form does not flicker them. */
  setImages(images: readonly ReferenceImageView[]): void {
    const signature = (list: readonly ReferenceImageView[]) => list.map((i) => `${i.token} ${i.thumbnailUri}`).join('\n');
    if (signature(images) === signature(this.images)) return;
    this.images = [...images];
    this.transientError = '';
    const rows = this.images.map((image, index) => {
      const kept = this.rows.get(image.token);
      const element = kept && kept.uri === image.thumbnailUri ? kept.element : this.row(image);
      this.rows.set(image.token, { element, uri: image.thumbnailUri });
      // Numbers and alt text follow the position: removing image 2 makes image 3 the new 2.
      element.querySelector('.image-index')!.textContent = String(index + 1);
      element.querySelector('img')!.setAttribute('alt', l10n.t('Reference image {0}: {1}', index + 1, image.fileName));
      return element;
    });
    for (const token of [...this.rows.keys()]) if (!this.images.some((i) => i.token === token)) this.rows.delete(token);
    // Rows already in place stay put (moving a focused element would drop its focus).
    rows.forEach((row, index) => {
      if (this.list.children[index] !== row) this.list.insertBefore(row, this.list.children[index] ?? null);
    });
    while (this.list.children.length > rows.length) this.list.lastElementChild!.remove();
    this.layout();
  }

  /** Validation problems from the form (catalog.validate) plus this field's own pick/drop error. */
  showProblems(messages: readonly string[]): boolean {
    const all = [...messages, ...(this.transientError ? [this.transientError] : [])];
    replaceChildren(this.error, ...all.map((m) => h('p', {}, codicon('error'), ' ', m)));
    this.element.classList.toggle('invalid', all.length > 0);
    return all.length > 0;
  }

  /** Where focus goes for a problem on this field: the first image's Remove, else the Add button. */
  focusTarget(): HTMLElement | undefined {
    return this.list.querySelector<HTMLElement>('.remove-image') ?? (this.dropZone.hidden ? undefined : this.chooseButton);
  }

  /** How many more images the chosen model takes. */
  private room(): number {
    return this.accepts ? Math.max(0, this.limit - this.images.length) : 0;
  }

  private layout(): void {
    setHidden(this.list, this.images.length === 0);
    setHidden(this.dropZone, this.room() === 0);
    this.count.textContent = this.accepts && this.images.length > 0 ? l10n.t('{0} of {1}', this.images.length, this.limit) : '';
    this.hint.textContent = this.limit > 1
      ? l10n.t('or drop JPEG, PNG or WebP files here (hold Shift while dragging); up to {0} images', this.limit)
      : l10n.t('or drop a JPEG, PNG or WebP file here (hold Shift while dragging)');
  }

  private row(image: ReferenceImageView): HTMLElement {
    const remove = h('vscode-button', {
      secondary: true, icon: 'close', class: 'remove-image', 'data-token': image.token,
      'aria-label': l10n.t('Remove {0}', image.fileName),
    }, l10n.t('Remove'));
    remove.addEventListener('click', () => this.remove(image.token));
    return h(
      'li',
      { class: 'image-preview', 'data-token': image.token },
      h('span', { class: 'image-index', 'aria-hidden': 'true' }),
      h('img', { class: 'thumbnail', src: image.thumbnailUri }),
      h('div', { class: 'image-facts' }, h('span', { class: 'image-name', title: image.fileName }, image.fileName), h('span', { class: 'muted image-size' }, formatBytes(image.byteLength))),
      remove,
    );
  }

  private remove(token: string): void {
    const index = this.images.findIndex((i) => i.token === token);
    if (index < 0) return;
    const removed = this.images[index];
    this.host.post({ type: 'discardImage', imageToken: token });
    this.onImages(this.images.filter((i) => i.token !== token));
    this.status.textContent = l10n.t('Removed {0}.', removed.fileName);
    // Focus stays in the list (the next image's Remove, else the previous one's), else goes to Add.
    const buttons = Array.from(this.list.querySelectorAll<HTMLElement>('.remove-image'));
    (buttons[Math.min(index, buttons.length - 1)] ?? this.chooseButton).focus();
  }

  private fail(message: string): void {
    this.transientError = message;
    this.status.textContent = '';
    this.requestRender();
  }

  private add(added: readonly ReferenceImageView[]): void {
    this.transientError = '';
    this.status.textContent = '';
    this.onImages([...this.images, ...added.filter((a) => !this.images.some((i) => i.token === a.token))]);
  }

  private async pick(): Promise<void> {
    const room = this.room();
    if (room === 0) return;
    this.status.textContent = '';
    const reply = await this.host.request<'pickImage'>({ type: 'pickImage', room });
    if (!reply.ok) return this.fail(reply.error.message);
    if (reply.result.images.length > 0) this.add(reply.result.images);
  }

  private wireDrop(): void {
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    this.dropZone.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      this.dropZone.classList.add('drag-over');
    });
    this.dropZone.addEventListener('dragleave', () => this.dropZone.classList.remove('drag-over'));
    this.dropZone.addEventListener('drop', (e) => {
      this.dropZone.classList.remove('drag-over');
      if (!hasFiles(e)) return;
      e.preventDefault();
      const files = Array.from(e.dataTransfer?.files ?? []);
      if (files.length > 0) void this.drop(files).catch((e: unknown) => console.error('Seedance panel:', e));
    });
    // A drop that misses the zone must not navigate the webview to the file.
    window.addEventListener('dragover', (e) => e.preventDefault());
    window.addEventListener('drop', (e) => e.preventDefault());
  }

  /** Takes the dropped files that fit, in order; a refused file stops there with its reason (the earlier ones stay). */
  private async drop(files: readonly File[]): Promise<void> {
    this.transientError = '';
    const room = this.room();
    const taken = files.slice(0, room);
    const added: ReferenceImageView[] = [];
    try {
      for (const file of taken) {
        // The same catalogue rules the extension applies, checked here first so a wrong or huge file is
        // refused at once instead of after copying up to 30 MB across.
        const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
        const problems = validate({ inputReference: { fileName: file.name, byteLength: file.size, head } }).filter((p) => p.field === 'inputReference');
        if (problems.length > 0) return this.fail(problems.map((p) => p.message).join(' '));
        if (file.size > MAX_REFERENCE_IMAGE_BYTES) return; // unreachable after validate; keeps the transfer bounded
        this.status.textContent = l10n.t('Reading {0}…', file.name);
        const bytes = new Uint8Array(await file.arrayBuffer());
        const fileName = file.name.replace(/[\u0000-\u001f\u007f/\\]/g, '_').slice(-255) || 'image';
        const reply = await this.host.request<'dropImage'>({ type: 'dropImage', fileName, bytes });
        if (!reply.ok) return this.fail(reply.error.message);
        added.push(reply.result.image);
      }
    } finally {
      if (added.length > 0) {
        const error = this.transientError;
        this.add(added);
        // A refusal after some files were taken stays on screen beside them.
        if (error && added.length < taken.length) this.fail(error);
      }
    }
    if (files.length > taken.length) {
      this.status.textContent = l10n.t('Added {0} of the {1} dropped files; this model takes at most {2} reference images.', taken.length, files.length, this.limit);
    }
  }
}
