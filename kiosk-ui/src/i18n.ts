/** The kiosk's language as React context; the catalogue itself is messages.ts. */
import { createContext, useContext } from 'react';
import { DEFAULT_LANG, MESSAGES, type Lang, type Messages } from './messages';

export * from './messages';

export const I18nContext = createContext<{ lang: Lang; t: Messages; setLang(l: Lang): void }>({
  lang: DEFAULT_LANG,
  t: MESSAGES[DEFAULT_LANG],
  setLang: () => {},
});
export const useI18n = () => useContext(I18nContext);
