import { html } from 'hono/html';
import { layout, type Html, type View } from './layout.ts';

/** GET /staff/login: the staff token form; `message` says why it is shown again. */
export function loginPage(v: View, message?: { kind: 'ok' | 'error'; text: string }): Html {
  return layout(
    v,
    v.t('console_staff.login.title'),
    html`${message ? html`<p class="${message.kind === 'error' ? 'problem' : 'flash ok'}" id="login-message" role="alert">${message.text}</p>` : ''}
<form method="post" action="/staff/login" id="login">
  <label for="token">${v.t('console_staff.login.token')}</label>
  <input type="password" name="token" id="token" autocomplete="off" required maxlength="500">
  <p class="hint">${v.t('console_staff.login.hint')}</p>
  <p><button type="submit">${v.t('console_staff.login.submit')}</button></p>
</form>`,
  );
}
