/** Download progress of an MNIST split: a progress bar with megabytes loaded of the total, then what was loaded. */
import type { MnistDataInfo, MnistDownloadProgress, MnistSplit } from '../../../engine/client';

const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0);
const NAMES: Record<MnistSplit, string> = { train: 'training images', test: 'test images' };

/** Props of {@link DownloadProgress}. */
export interface DownloadProgressProps {
  split: MnistSplit;
  progress: MnistDownloadProgress | null;
  info: MnistDataInfo | null;
  error: string | null;
  testId: string;
}

/**
 * The state of one split's download: waiting, "x.x / y.y MB" with a bar (indeterminate while the total is unknown),
 * decoding, loaded (images and size), or the error; only the phase is announced to screen readers. The element carries data-phase ('waiting' | 'download' | 'decode' | 'done' | 'error'), data-loaded and
 * data-total (bytes).
 */
export function DownloadProgress({ split, progress, info, error, testId }: DownloadProgressProps) {
  const phase = error ? 'error' : info ? 'done' : (progress?.phase ?? 'waiting');
  const loaded = info?.bytes ?? progress?.loaded ?? 0;
  const total = info?.bytes ?? progress?.total ?? 0;
  let text: string;
  if (error) text = `The ${NAMES[split]} could not be loaded: ${error}`;
  else if (info && info.count > info.images) {
    text = `${info.count.toLocaleString('en')} ${NAMES[split]} loaded (${mb(info.bytes)} MB): ${info.images.toLocaleString('en')} used for training, ${(info.count - info.images).toLocaleString('en')} held out for validation as in the paper's setup.`;
  } else if (info) text = `${info.images.toLocaleString('en')} ${NAMES[split]} loaded (${mb(info.bytes)} MB).`;
  else if (progress?.phase === 'decode' || progress?.phase === 'done') text = `Decoding the ${NAMES[split]}…`;
  else if (progress) text = `Downloading the ${NAMES[split]}: ${mb(progress.loaded)}${progress.total > 0 ? ` / ${mb(progress.total)}` : ''} MB`;
  else text = `Waiting to download the ${NAMES[split]}…`;
  // Screen readers hear the phase (started, decoding, loaded, failed), not every byte count.
  const announced = error
    ? `The ${NAMES[split]} could not be loaded.`
    : info
      ? `The ${NAMES[split]} are loaded.`
      : progress?.phase === 'decode' || progress?.phase === 'done'
        ? `Decoding the ${NAMES[split]}…`
        : progress
          ? `Downloading the ${NAMES[split]}…`
          : '';
  return (
    <div className={`mnist-download${error ? ' failed' : ''}`} data-testid={testId} data-phase={phase} data-loaded={String(loaded)} data-total={String(total)}>
      {phase === 'download' || phase === 'decode' || phase === 'waiting' ? (
        <progress
          max={total > 0 ? total : 1}
          value={phase === 'decode' ? total || 1 : total > 0 ? loaded : undefined}
          aria-label={`Downloading the ${NAMES[split]}`}
        />
      ) : null}
      <span>{text}</span>
      <span className="sr-only" aria-live="polite">
        {announced}
      </span>
    </div>
  );
}
