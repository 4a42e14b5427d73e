import { describe, expect, it } from 'vitest';
import { escapeHtml, html, Html } from '../../../common/html.js';

describe('html tagged template (common/html.ts)', () => {
  it('escapes every interpolated value, backtick included', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
    expect(html`<p>${'<script>'}</p>`.value).toBe('<p>&lt;script&gt;</p>');
  });

  it('keeps nested templates, joins arrays and drops null, undefined and false', () => {
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}`.value).toBe('<ul><li>a&lt;</li><li>b</li></ul>0');
    expect(html`${new Html('<b>trusted</b>')}`.toString()).toBe('<b>trusted</b>');
  });
});
