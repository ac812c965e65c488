/** Command ids, as contributed in package.json. */
export const Command = {
  importTopology: 'lyncRecovery.importTopology',
  openEstate: 'lyncRecovery.openEstate',
  refreshEstate: 'lyncRecovery.refreshEstate',
  openSampleEstate: 'lyncRecovery.openSampleEstate',
  openEstateFormat: 'lyncRecovery.openEstateFormat',
  revealInEstate: 'lyncRecovery.revealInEstate',
  copyFqdn: 'lyncRecovery.copyFqdn',
} as const;

/** The Estate view's id. */
export const ESTATE_VIEW = 'lyncRecovery.estate';

/** Context key the view's welcome content depends on: the `EstateView` kind. */
export const ESTATE_STATE_CONTEXT = 'lyncRecovery.estateState';
