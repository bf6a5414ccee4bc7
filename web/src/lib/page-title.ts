import { useEffect } from 'react';

/** The browser tab names the page ("Certificates · certdesk"), so tabs, history and screen readers tell pages apart. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · certdesk` : 'certdesk';
  }, [title]);
}
