// The "switch the request shape" fix offered when CometAPI refuses the size or resolution field: the words
// and the button, in one place so the error boundary only asks whether it applies.
import * as vscode from 'vscode';
import { DEFAULT_REQUEST_SHAPE, REQUEST_SHAPES, type RequestShape } from '../core/catalog';
import { isSizeFieldRejection, otherRequestShape } from '../core/requestShapeRejection';

function currentShape(): RequestShape {
  const value = vscode.workspace.getConfiguration('seedance').get<string>('requestShape', DEFAULT_REQUEST_SHAPE);
  return (REQUEST_SHAPES as readonly string[]).includes(value) ? (value as RequestShape) : DEFAULT_REQUEST_SHAPE;
}

export interface ShapeFix {
  readonly message: string;
  readonly action: { readonly title: string; run(): unknown };
}

/** For a 400 naming size/resolution on create: what to say and the button that switches the setting. */
export function requestShapeFix(error: unknown): ShapeFix | undefined {
  if (!isSizeFieldRejection(error)) return undefined;
  const current = currentShape();
  const next = otherRequestShape(current);
  const reason = error instanceof Error ? error.message : String(error);
  return {
    message: vscode.l10n.t(
      'CometAPI refused the size or resolution field ({0}). Nothing was created or billed. Your account may answer the other documented request shape: set "seedance.requestShape" to "{1}" (now "{2}") and try again.',
      reason,
      next,
      current,
    ),
    action: {
      title: vscode.l10n.t('Switch Request Shape to "{0}"', next),
      run: async () => {
        await vscode.workspace.getConfiguration('seedance').update('requestShape', next, vscode.ConfigurationTarget.Global);
        void vscode.window.showInformationMessage(vscode.l10n.t('Seedance now sends the "{0}" request shape. Generate again to retry.', next));
      },
    },
  };
}
