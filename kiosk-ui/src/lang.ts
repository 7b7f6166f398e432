import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_LANG, MESSAGES, type Lang } from './i18n';

/** The language the kiosk shows now (the I18nContext value), mirrored on <html lang> for screen readers. */
export function useLangState() {
  const [lang, setLang] = useState<Lang>(DEFAULT_LANG);
  const t = MESSAGES[lang];
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return useMemo(() => ({ lang, t, setLang }), [lang, t]);
}
