// /login: labelled username and password, validation messages, and distinct errors for a wrong password,
// rate limiting and an unreachable server. After login it returns to ?next= (same-origin paths only).
import { ApiError, api } from '../api.ts';
import { h, replace } from '../dom.ts';
import { inputField } from '../form.ts';
import { type PageRender, pageHeading } from '../page.ts';
import { safeNext, setCurrentUser } from '../session.ts';
import type { User } from '../types.ts';

export const renderLogin: PageRender = (main, ctx) => {
  const next = safeNext(ctx.query.get('next'));
  const username = inputField('Username', {
    name: 'username',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
  });
  const password = inputField('Password', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const alertBox = h('div', { class: 'form-alert' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Log in');

  function showError(message: string): void {
    replace(alertBox, h('p', { role: 'alert', class: 'state state-error' }, message));
  }

  async function onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    replace(alertBox);
    const user = username.control.value.trim();
    const pass = password.control.value;
    username.setError(user ? null : 'Enter your username.');
    password.setError(pass ? null : 'Enter your password.');
    if (!user || !pass) {
      (user ? password : username).control.focus();
      return;
    }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const res = await api<{ user: User }>('/api/auth/login', {
        method: 'POST',
        body: { username: user, password: pass },
        allow401: true,
        signal: ctx.signal,
      });
      setCurrentUser(res.user);
      ctx.navigate(next, { replace: true });
    } catch (error) {
      if (ctx.signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) {
        showError('Invalid username or password.');
        password.control.value = '';
        password.control.focus();
      } else if (error instanceof ApiError && error.status === 429) {
        const wait = error.retryAfter ? `${error.retryAfter} seconds` : 'a minute';
        showError(`Too many login attempts. Try again in ${wait}.`);
      } else if (error instanceof ApiError && error.status === 400) {
        showError(`Login was refused: ${error.message}`);
      } else {
        showError(`Login failed: ${error instanceof Error ? error.message : String(error)}. Try again.`);
      }
    } finally {
      submit.disabled = false;
      form.setAttribute('aria-busy', 'false');
    }
  }

  const form = h(
    'form',
    {
      'aria-label': 'Log in',
      class: 'card form login-form',
      novalidate: true,
      onsubmit: (e: Event) => void onSubmit(e),
    },
    alertBox,
    username.element,
    password.element,
    submit,
  );
  replace(
    main,
    h(
      'div',
      { class: 'login-page' },
      pageHeading('Log in'),
      ctx.query.get('next') ? h('p', { class: 'muted' }, 'Log in to continue to the page you asked for.') : null,
      form,
      h('p', { class: 'muted' }, 'Demo account: ', h('code', null, 'demo'), ' / ', h('code', null, 'demo-pass')),
    ),
  );
  username.control.focus();
  return undefined;
};
