/**
 * A CSV upload with progress: fetch() reports no upload progress, XMLHttpRequest does (bytes
 * sent of the file's size). The body is the raw file as text/csv, which POST /v1/audiences takes.
 */
import { authorization, expire } from './session.ts';
import { ApiError } from './api-error.ts';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export function uploadCsv<T>(
  url: string,
  file: File,
  onProgress: (progress: UploadProgress) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('authorization', authorization());
    request.setRequestHeader('content-type', 'text/csv');
    request.responseType = 'json';
    request.upload.onprogress = (event) =>
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    request.onerror = () =>
      reject(new TypeError('The upload could not reach the API: check the connection and retry.'));
    request.onload = () => {
      const body: unknown = request.response;
      if (request.status >= 200 && request.status < 300) {
        resolve(body as T);
        return;
      }
      if (request.status === 401) expire();
      const inner =
        typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
      const message =
        typeof inner === 'object' &&
        inner !== null &&
        'message' in inner &&
        typeof inner.message === 'string'
          ? inner.message
          : `The API answered ${request.status}.`;
      reject(new ApiError(message, request.status, null));
    };
    request.send(file);
  });
}
