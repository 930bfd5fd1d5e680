/**
 * docr's page: a form (key kept in localStorage, files or a URL, languages, format,
 * password) and one card per document, each run through the SDK (jobs.ts).
 */
import { DEFAULT_LANGUAGES, DIGITS, FURTHER_LANGUAGES, REQUIRED_LANGUAGES } from '../../src/contract/languages.js';
import type { OutputFormat } from '../../sdk/src/index.js';
import { runJob, type JobInput } from './jobs.js';
import './style.css';

const KEY_STORE = 'docr.apiKey';
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const form = $<HTMLFormElement>('ocr-form');
const keyInput = $<HTMLInputElement>('api-key');
const filesInput = $<HTMLInputElement>('files');
const urlInput = $<HTMLInputElement>('url');
const formError = $<HTMLParagraphElement>('form-error');
const dropZone = $<HTMLLabelElement>('drop-zone');
let chosen: File[] = [];

function languageBoxes(container: HTMLElement, names: string[]) {
  for (const name of names) {
    const id = `lang-${name}`;
    const wrap = document.createElement('span');
    wrap.className = 'language';
    wrap.innerHTML = `<input type="checkbox" name="language" id="${id}" value="${name}"><label for="${id}">${name}</label>`;
    (wrap.firstChild as HTMLInputElement).checked = (DEFAULT_LANGUAGES as readonly string[]).includes(name);
    container.append(wrap);
  }
}
languageBoxes($('languages'), [...Object.keys(REQUIRED_LANGUAGES), DIGITS]);
languageBoxes($('more-languages'), Object.keys(FURTHER_LANGUAGES));

keyInput.value = localStorage.getItem(KEY_STORE) ?? '';
keyInput.addEventListener('change', () => localStorage.setItem(KEY_STORE, keyInput.value.trim()));

function showChosen(files: File[]) {
  chosen = files;
  $('chosen').replaceChildren(...files.map((f) => Object.assign(document.createElement('li'), { textContent: `${f.name} (${Math.ceil(f.size / 1024)} KB)` })));
}
filesInput.addEventListener('change', () => showChosen([...(filesInput.files ?? [])]));
for (const type of ['dragenter', 'dragover']) dropZone.addEventListener(type, (e) => { e.preventDefault(); dropZone.classList.add('over'); });
for (const type of ['dragleave', 'drop']) dropZone.addEventListener(type, () => dropZone.classList.remove('over'));
dropZone.addEventListener('drop', (e) => { e.preventDefault(); showChosen([...(e.dataTransfer?.files ?? [])]); });

function fail(message: string, focus: HTMLElement) {
  formError.textContent = message;
  formError.hidden = false;
  focus.focus();
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  formError.hidden = true;
  const apiKey = keyInput.value.trim();
  if (!apiKey) return fail('Enter your API key first.', keyInput);
  localStorage.setItem(KEY_STORE, apiKey);
  const url = urlInput.value.trim();
  if (chosen.length === 0 && !url) return fail('Choose a file or give the address of one.', filesInput);
  const languages = [...form.querySelectorAll<HTMLInputElement>('input[name=language]:checked')].map((i) => i.value);
  if (languages.length === 0) return fail('Pick at least one language.', form.querySelector<HTMLInputElement>('input[name=language]')!);
  if (languages.length > 10) return fail(`Pick at most 10 languages (${languages.length} are ticked).`, form.querySelector<HTMLInputElement>('input[name=language]')!);
  const common = {
    apiKey, languages,
    format: ($<HTMLSelectElement>('format').value as OutputFormat),
    password: $<HTMLInputElement>('password').value || undefined,
    preview: $<HTMLInputElement>('preview').checked,
  };
  const inputs: JobInput[] = [...chosen.map((file) => ({ ...common, file })), ...(url ? [{ ...common, url }] : [])];
  for (const input of inputs) void runJob(input, $('jobs'));
  showChosen([]);
  filesInput.value = '';
  urlInput.value = '';
});
