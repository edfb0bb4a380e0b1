import { useEffect, useEffectEvent, useRef, useState } from "react";
import { Input } from "./input.tsx";

const SEARCH_DELAY_MS = 300;

interface SearchBoxProps {
  value: string;
  onSearch: (term: string) => void;
  placeholder?: string;
  label?: string;
}

/** Searches as the user types (after a short pause) and picks up URL changes such as Back. */
export function SearchBox({ value, onSearch, placeholder, label = "Search" }: SearchBoxProps) {
  const [text, setText] = useState(value);
  const lastSent = useRef(value);

  useEffect(() => {
    if (value === lastSent.current) return;
    lastSent.current = value;
    setText(value);
  }, [value]);

  // The parent re-renders while results load; only a change of the text should restart the pause.
  const search = useEffectEvent((term: string) => onSearch(term));
  useEffect(() => {
    const term = text.trim();
    if (term === lastSent.current) return;
    const timer = setTimeout(() => {
      lastSent.current = term;
      search(term);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  return (
    <label className="block text-sm">
      <span className="mb-1 block font-medium">{label}</span>
      <Input type="search" placeholder={placeholder} value={text} onChange={(event) => setText(event.target.value)} />
    </label>
  );
}
