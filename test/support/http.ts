// A small browser-like client over app.inject: keeps cookies, finds CSRF tokens in pages, signs in.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { currentTotp } from '../../src/platform/auth/credentials.ts';
import { TEST_PASSWORD, type TestUser } from './fixtures.ts';

export class Client {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(private app: FastifyInstance) {}

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } });
    this.remember(res);
    return res;
  }

  /** Posts a form; adds the CSRF token unless the caller supplies `_csrf` (or null to leave it out). */
  async post(url: string, form: Record<string, string | string[] | null> = {}) {
    const body = new URLSearchParams();
    const withToken = { _csrf: this.csrf, ...form };
    for (const [k, v] of Object.entries(withToken)) {
      if (v === null) continue;
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    }
    const res = await this.app.inject({
      method: 'POST', url, payload: body.toString(),
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    return res;
  }

  async json(method: 'POST' | 'PUT' | 'GET' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) {
    const res = await this.app.inject({
      method, url, payload: payload === undefined ? undefined : JSON.stringify(payload),
      headers: { cookie: this.cookieHeader(), 'x-csrf-token': this.csrf, accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    });
    this.remember(res);
    return res;
  }

  /** Sign in fully: password, then the second factor when the user has one (enrolled users only). */
  async signIn(user: TestUser, now = Date.now()) {
    await this.get('/sign-in');
    let res = await this.post('/sign-in', { email: user.email, password: TEST_PASSWORD });
    if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`);
    if (res.headers.location?.toString().startsWith('/sign-in/two-factor')) {
      if (!user.totpSecret) throw new Error('user needs a second factor but has none');
      await this.get('/sign-in/two-factor');
      res = await this.post('/sign-in/two-factor', { code: currentTotp(user.totpSecret, now) });
      if (res.statusCode !== 303) throw new Error(`second factor failed: ${res.statusCode}`);
    }
    await this.get('/');
    return res;
  }
}
