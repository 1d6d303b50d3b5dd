// Domain types of the CometAPI Seedance video API, as the rest of the product sees them. Wire JSON
// is parsed once, tolerantly, into these (see wire.ts); nothing outside core/api reads raw JSON.
import type { GenerationRequest } from '../generationRequest';

/** The four states every status vocabulary (revision A, revision B, synonyms) is mapped to. */
export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** A reference image ready to upload: its bytes, its sniffed content type and a file name. */
export interface ReferenceImageUpload {
  readonly fileName: string;
  readonly contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  readonly data: Uint8Array;
}

/**
 * A validated create request (see catalog.validate), images as bytes. Reference images after the first are sent
 * as repeated `input_reference` parts in upload order (2.0 models); createForm.ts maps it to the wire.
 */
export type CreateVideoRequest = GenerationRequest<ReferenceImageUpload>;

/** Why a task failed, as far as the service said. */
export interface TaskFailure {
  readonly code?: string;
  /** The service's reason, with vendor request ids stripped for display. */
  readonly message: string;
  /** Vendor request id, kept for logs. */
  readonly requestId?: string;
}

/** One snapshot of a task on the service. */
export interface VideoTask {
  /** Kept verbatim as the service returned it. */
  readonly id: string;
  readonly status: TaskStatus;
  /** The status string as the service sent it (for logs and unknown values). */
  readonly rawStatus: string;
  /** True when the raw status was not one we know (treated as non-terminal). */
  readonly unknownStatus: boolean;
  /** 0-100; a hint for the UI only, never a stop condition. */
  readonly progress: number;
  readonly model?: string;
  /** Unix seconds. */
  readonly createdAt?: number;
  readonly completedAt?: number;
  /** Signed, expiring download URL; present on success (possibly found in an alternate field). */
  readonly videoUrl?: string;
  readonly failure?: TaskFailure;
}
