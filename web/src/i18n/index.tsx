// The console's two languages: Danish first (the users are Danish), English
// second. Each language is one typed dictionary (da.ts is the reference; en.ts
// must have every key), so a missing text is a type error, not a blank.
//
//   const { t, locale } = useI18n();
//   <h1>{t.board.title}</h1>
import { createContext, type ComponentChildren } from "preact";
import { useContext, useEffect, useMemo, useState } from "preact/hooks";
import { preference, setPreference } from "../session";
import { da, type Messages } from "./da";
import { en } from "./en";

export type Lang = "da" | "en";

const dictionaries: Record<Lang, Messages> = { da, en };

interface I18n {
  lang: Lang;
  t: Messages;
  // For Intl formatting of times and numbers.
  locale: "da-DK" | "en-GB";
  setLang: (lang: Lang) => void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [lang, setLangState] = useState<Lang>(() =>
    preference("lang") === "en" ? "en" : "da",
  );
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({
      lang,
      t: dictionaries[lang],
      locale: lang === "da" ? "da-DK" : "en-GB",
      setLang: (l) => {
        setPreference("lang", l);
        setLangState(l);
      },
    }),
    [lang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error("useI18n outside I18nProvider");
  return v;
}

export type { Messages };
