import type { Permission } from '@certdesk/shared/types';
import {
  IconBell,
  IconCertificate,
  IconFileCertificate,
  IconFilePlus,
  IconFileUpload,
  IconHistory,
  IconKey,
  IconLayoutDashboard,
  IconRefresh,
  IconRocket,
  IconServerCog,
  IconShieldCheck,
  IconTool,
  IconUsers,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';

export interface NavItem {
  label: string;
  to: string;
  icon: ComponentType<{ size?: number | string; stroke?: number }>;
  /** Which paths light this entry up (`/csrs/new` belongs to "Generate CSR", not to "CSRs"). */
  isActive: (pathname: string) => boolean;
  /** Shown only to roles with this permission (GET /api/auth/me). */
  permission?: Permission;
}

export interface NavSection {
  title: string;
  items: NavItem[];
}

const under = (base: string) => (p: string) => p === base || p.startsWith(`${base}/`);

export const NAV_SECTIONS: NavSection[] = [
  {
    title: 'Certificates',
    items: [
      { label: 'Dashboard', to: '/', icon: IconLayoutDashboard, isActive: (p) => p === '/' },
      { label: 'Certificates', to: '/certificates', icon: IconCertificate, isActive: under('/certificates') },
      {
        label: 'Generate CSR',
        to: '/csrs/new',
        icon: IconFilePlus,
        isActive: (p) => p === '/csrs/new',
        permission: 'inventory:write',
      },
      {
        label: 'ACME',
        to: '/acme',
        icon: IconRefresh,
        isActive: under('/acme'),
        permission: 'inventory:read',
      },
      {
        label: 'CSRs',
        to: '/csrs',
        icon: IconFileCertificate,
        isActive: (p) => under('/csrs')(p) && p !== '/csrs/new',
      },
      {
        label: 'Import',
        to: '/import',
        icon: IconFileUpload,
        isActive: under('/import'),
        permission: 'inventory:write',
      },
      {
        label: 'Trust anchors',
        to: '/trust-anchors',
        icon: IconShieldCheck,
        isActive: under('/trust-anchors'),
      },
    ],
  },
  {
    title: 'Server',
    items: [
      {
        label: 'Deployments',
        to: '/deployments',
        icon: IconRocket,
        isActive: under('/deployments'),
        permission: 'targets:read',
      },
      { label: 'Server Settings', to: '/settings', icon: IconServerCog, isActive: under('/settings') },
      {
        label: 'Notifications',
        to: '/notifications',
        icon: IconBell,
        isActive: under('/notifications'),
        permission: 'settings:read',
      },
      { label: 'Tools', to: '/tools', icon: IconTool, isActive: under('/tools'), permission: 'tools:use' },
    ],
  },
  {
    title: 'Administration',
    items: [
      {
        label: 'Users',
        to: '/users',
        icon: IconUsers,
        isActive: under('/users'),
        permission: 'users:manage',
      },
      { label: 'API tokens', to: '/tokens', icon: IconKey, isActive: under('/tokens') },
      { label: 'Audit log', to: '/audit', icon: IconHistory, isActive: under('/audit') },
    ],
  },
];
