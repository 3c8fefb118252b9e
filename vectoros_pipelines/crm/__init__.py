"""Opportunity exports from CRMs (Salesforce, HubSpot, Maven's sample CRM) into deals."""
