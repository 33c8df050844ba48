from django.dispatch import Signal

# Sent inside the transaction that records a passed proposal's decision: sender=Proposal, proposal, decision.
# Apps that give a proposal kind its effect (opinions adopts the problem definition) listen to it.
proposal_passed = Signal()
