/**
 * One document's run on the page: create the task (and, for the preview, a json task), show
 * its progress live (the SDK follows docr's event stream), then the download link and the
 * text beside the page — or the error in plain words.
 */
import { DocrClient, type OutputFormat, type Task } from '../../sdk/src/index.js';
import { plainError } from './messages.js';
import { renderPreview, type OcrJson } from './preview.js';

export interface JobInput {
  apiKey: string;
  languages: string[];
  format: OutputFormat;
  password?: string;
  preview: boolean;
  file?: File;
  url?: string;
}

const IMAGE_TYPES = /^image\/(png|jpeg|gif|bmp|webp)$/;

function stateText(t: Task): string {
  switch (t.state) {
    case 0: return 'Waiting in line';
    case 2: return 'Preparing the document';
    case 3: return 'Waiting for a free reader';
    case 4: case 6: return t.pages_total ? `Reading page ${Math.min((t.pages_done ?? 0) + 1, t.pages_total)} of ${t.pages_total}` : 'Reading';
    case 5: return 'Writing the result';
    case 1: return t.pages_total ? `Done: ${t.pages_total} ${t.pages_total === 1 ? 'page' : 'pages'}` : 'Done';
    default: return 'Stopped';
  }
}

function card(name: string) {
  const li = document.createElement('li');
  li.className = 'job';
  const id = `job-${crypto.randomUUID()}`;
  li.innerHTML = `<h3 id="${id}-title"></h3>
    <progress id="${id}-bar" max="100" value="0" aria-labelledby="${id}-title ${id}-status"></progress>
    <p id="${id}-status" class="status" aria-live="polite">Sending</p>
    <div class="result"></div>`;
  li.querySelector('h3')!.textContent = name;
  const bar = li.querySelector('progress')!;
  const status = li.querySelector('.status')!;
  const result = li.querySelector<HTMLDivElement>('.result')!;
  return {
    li,
    progress(t: Task) {
      bar.value = t.state === 1 ? 100 : t.progress;
      status.textContent = stateText(t);
    },
    done(file: string, fileName: string) {
      const a = Object.assign(document.createElement('a'), { href: file, className: 'download', textContent: `Download ${fileName}` });
      a.setAttribute('download', fileName);
      result.prepend(a);
    },
    preview(el: HTMLElement) { result.append(el); },
    error(e: unknown) {
      const { title, detail } = plainError(e);
      li.classList.add('failed');
      status.textContent = 'Failed';
      const box = document.createElement('div');
      box.className = 'error';
      box.setAttribute('role', 'alert');
      box.append(Object.assign(document.createElement('strong'), { textContent: title }), Object.assign(document.createElement('p'), { textContent: detail }));
      result.replaceChildren(box);
    },
  };
}

export async function runJob(input: JobInput, list: HTMLElement): Promise<void> {
  const name = input.file?.name ?? input.url ?? 'document';
  const view = card(name);
  list.prepend(view.li);
  const client = new DocrClient({ baseUrl: location.origin, apiKey: input.apiKey });
  const options = { ...(input.file ? { file: input.file } : { url: input.url }), languages: input.languages, password: input.password };
  try {
    const task = await client.createTask({ ...options, format: input.format });
    const wantPreview = input.preview && input.format !== 'json';
    const previewTask = wantPreview ? client.createTask({ ...options, format: 'json' }) : undefined;
    const done = await client.waitForResult(task, { timeoutMs: Infinity, onProgress: (t) => view.progress(t) });
    const stem = name.replace(/^.*\//, '').replace(/\.[^.]+$/, '') || 'result';
    view.done(done.file!, `${stem}.${input.format}`);
    if (!input.preview) return;
    const jsonTask = previewTask ? await client.waitForResult(await previewTask, { timeoutMs: Infinity }) : done;
    const tree = await (await client.download(jsonTask)).json() as OcrJson;
    const image = input.file && IMAGE_TYPES.test(input.file.type) ? URL.createObjectURL(input.file) : undefined;
    view.preview(renderPreview(tree, image));
  } catch (e) {
    view.error(e);
  }
}
