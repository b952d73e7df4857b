"""Domains and their registrars: DomainWhois, DomainRegister … DomainToggleIdProtect, UpdateClientDomain."""
